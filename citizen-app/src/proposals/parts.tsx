import { IonButton, IonIcon, IonItem, IonLabel, useIonViewWillEnter } from '@ionic/react';
import {
  arrowUndoOutline,
  calendarOutline,
  checkmarkCircleOutline,
  closeCircleOutline,
  eyeOffOutline,
  gitMergeOutline,
  hourglassOutline,
  megaphoneOutline,
  peopleOutline,
  shieldCheckmarkOutline,
  warningOutline,
} from 'ionicons/icons';
import { useCallback, useEffect, useState } from 'react';
import type { CitizenMe, CommuneRef, Currency, ProposalView } from '../api/types.ts';
import { useServices } from '../app/context.tsx';
import { formatDateTime } from '../i18n/format.ts';
import type { Language } from '../i18n/messages.ts';
import { readCached, writeCached } from '../reference/cache.ts';
import { categoryIcon } from '../reference/icons.ts';
import { useReference } from '../reference/reference.ts';
import { isProposalsKey, type ProposalsKey, useProposalsI18n } from './messages.ts';

/** Each state has its icon and colour beside its word: the word carries the meaning, the rest helps. */
const stateLooks: Record<string, { icon: string; colour: string }> = {
  open: { icon: megaphoneOutline, colour: '#1f5fa8' },
  under_study: { icon: hourglassOutline, colour: '#8a5300' },
  accepted: { icon: checkmarkCircleOutline, colour: '#0b6e4f' },
  already_planned: { icon: calendarOutline, colour: '#0b6e4f' },
  rejected: { icon: closeCircleOutline, colour: '#b3261e' },
  hidden: { icon: eyeOffOutline, colour: '#4d4d4d' },
  withdrawn: { icon: arrowUndoOutline, colour: '#4d4d4d' },
  merged: { icon: gitMergeOutline, colour: '#4d4d4d' },
};

/** The state in the commune's own words when it names its answer states, in ours otherwise. */
export function stateLabel(state: string, commune: CommuneRef | undefined, language: Language, t: (key: ProposalsKey) => string): string {
  const own = commune?.proposalPolicy?.answerStates.find((s) => s.id === state)?.labels[language];
  if (own) return own;
  const key = `proposal.state.${state}`;
  return isProposalsKey(key) ? t(key) : state.replace(/_/g, ' ');
}

export function StateChip({ proposal }: { proposal: Pick<ProposalView, 'state' | 'communeId'> }) {
  const { t, language } = useProposalsI18n();
  const { reference } = useServices();
  const { communes } = useReference(reference);
  const look = stateLooks[proposal.state] ?? { icon: checkmarkCircleOutline, colour: '#4d4d4d' };
  return (
    <span className="status-chip proposal-state" style={{ backgroundColor: look.colour }} data-state={proposal.state}>
      <IonIcon icon={look.icon} aria-hidden="true" /> {stateLabel(proposal.state, communes?.find((c) => c.id === proposal.communeId), language, t)}
    </span>
  );
}

/** A supports count with its icon, in words for screen readers too. */
export function Supports({ n, testId }: { n: number; testId?: string }) {
  const { t } = useProposalsI18n();
  return (
    <span className="proposal-supports" data-testid={testId} data-supports={n}>
      <IonIcon icon={peopleOutline} aria-hidden="true" /> {t('proposals.supports', { n })}
    </span>
  );
}

/** "The commune must answer by …", or overdue, once enough residents support it. */
export function Deadline({ proposal }: { proposal: Pick<ProposalView, 'answerBy' | 'answerLate' | 'answer'> }) {
  const { t, language } = useProposalsI18n();
  if (!proposal.answerBy) return null;
  if (proposal.answerLate) {
    return (
      <p className="proposal-deadline proposal-deadline--late" data-testid="answer-late">
        <IonIcon icon={warningOutline} aria-hidden="true" /> {t('proposals.late', { date: formatDateTime(proposal.answerBy, language) })}
      </p>
    );
  }
  if (proposal.answer) return null;
  return (
    <p className="proposal-deadline" data-testid="answer-by">
      <IonIcon icon={calendarOutline} aria-hidden="true" /> {t('proposals.answerBy', { date: formatDateTime(proposal.answerBy, language) })}
    </p>
  );
}

/** One proposal in a list: photo or category icon, title, category, state, supports; a tap opens it. */
export function ProposalItem({ proposal }: { proposal: ProposalView }) {
  const { language } = useProposalsI18n();
  const { api, reference } = useServices();
  const { categories } = useReference(reference);
  const category = categories?.find((c) => c.id === proposal.category);
  const thumbnail = proposal.media[0] && api.origin + proposal.media[0].thumbnailUrl;
  return (
    <IonItem routerLink={`/proposals/${proposal.id}`} detail data-testid="proposal" data-proposal-id={proposal.id} data-state={proposal.state} data-supports={proposal.supports}>
      {thumbnail ? (
        <img slot="start" src={thumbnail} alt="" className="thumb" loading="lazy" decoding="async" width={56} height={56} />
      ) : (
        <IonIcon slot="start" className="proposal-item-icon" icon={categoryIcon(category?.icon ?? '')} aria-hidden="true" />
      )}
      <IonLabel className="ion-text-wrap">
        <StateChip proposal={proposal} />
        <h2>{proposal.title}</h2>
        <p className="proposal-meta">
          {category && (
            <span>
              <IonIcon icon={categoryIcon(category.icon)} aria-hidden="true" /> {category.labels[language]}
            </span>
          )}
          <Supports n={proposal.supports} />
        </p>
        <Deadline proposal={proposal} />
      </IonLabel>
    </IonItem>
  );
}

/** Whole francs CFA in the person's language: "2 500 000 FCFA", "FCFA 2,500,000". */
export function formatMoney(amount: number, currency: Currency, language: Language): string {
  return new Intl.NumberFormat(language === 'fr' ? 'fr-CM' : 'en-CM', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/** Thumbnails, described and loaded lazily; a tap opens the photo full size in the phone's viewer. */
export function Photos({ media, title, className = 'proposal-photos' }: { media: readonly { id: string; url: string; thumbnailUrl: string }[]; title: string; className?: string }) {
  const { t } = useProposalsI18n();
  const { api } = useServices();
  if (media.length === 0) return null;
  return (
    <ul className={className}>
      {media.map((m, i) => (
        <li key={m.id}>
          <a href={api.origin + m.url} target="_blank" rel="noopener">
            <img src={api.origin + m.thumbnailUrl} alt={t('proposal.photoAlt', { n: i + 1, total: media.length, title })} loading="lazy" decoding="async" width={160} height={120} />
          </a>
        </li>
      ))}
    </ul>
  );
}

const meKey = 'palabre.me';

/**
 * The person's identity level and residence: from the API, and the last answer kept on the phone for
 * offline use. Read again each time the screen shows (after "verify my phone", say).
 */
export function useMe(): CitizenMe | null {
  const { api } = useServices();
  const [me, setMe] = useState<CitizenMe | null>(() => readCached<CitizenMe>(meKey));
  const load = useCallback(() => {
    api.me().then((found) => {
      writeCached(meKey, found);
      setMe(found);
    }, () => undefined);
  }, [api]);
  useEffect(load, [load]);
  useIonViewWillEnter(load, [load]);
  return me;
}

/** What a resident needs before proposing or supporting, and the way there. */
export function VerifyPhone() {
  const { t } = useProposalsI18n();
  return (
    <div className="callout callout--question" role="note" data-testid="level-needed">
      <p>{t('propose.level')}</p>
      <IonButton fill="outline" routerLink="/me/phone" data-testid="verify-phone">
        <IonIcon slot="start" icon={shieldCheckmarkOutline} aria-hidden="true" />
        {t('propose.verifyPhone')}
      </IonButton>
    </div>
  );
}
