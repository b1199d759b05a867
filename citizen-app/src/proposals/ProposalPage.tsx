import { encodePlusCode } from '@palabre/domain/geo/plus-code';
import { IonButton, IonIcon, useIonViewWillEnter } from '@ionic/react';
import { cashOutline, checkmarkCircle, closeOutline, constructOutline, flagOutline, locationOutline, mapOutline, thumbsUpOutline } from 'ionicons/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/errors.ts';
import { randomId } from '../api/random-id.ts';
import type { ProjectSummary, ProposalView, ProposalViewer } from '../api/types.ts';
import { useOnline, useServices, useSubscribed } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { LazyMap } from '../map/LazyMap.tsx';
import { categoryIcon } from '../reference/icons.ts';
import { useReference } from '../reference/reference.ts';
import { flagProposal, type FlagReason, flagReasons, getProposal, projectsOf, supportProposal, withdrawSupport } from './api.ts';
import { useFollowed } from './followed.ts';
import { useProposalsI18n } from './messages.ts';
import { Deadline, formatMoney, Photos, StateChip, Supports, useMe, VerifyPhone } from './parts.tsx';

/** States in which nobody supports any more. */
const closedStates = new Set(['hidden', 'withdrawn', 'merged']);

/**
 * One proposal as residents read it: photos, words, place, supports (live), the commune's answer; a
 * single "I support this" (then "Withdraw my support"), and a way to report abuse.
 */
export function ProposalPage() {
  const { id = '' } = useParams();
  const { t, language, problem } = useProposalsI18n();
  const { api, live, reference, proposals: memory, noteProposal, watchProposal } = useServices();
  const { communes, categories } = useReference(reference);
  const me = useMe();
  const online = useOnline();
  const liveState = useSubscribed(live, () => live.state);
  const [view, setView] = useState<ProposalView | null>(null);
  // What this screen's own actions established, until the API's viewer says it too.
  const [mine, setMine] = useState<Partial<ProposalViewer>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; level: boolean } | null>(null);
  const [flagging, setFlagging] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const [projects, setProjects] = useState<ProjectSummary[]>([]);
  // One key per support (or withdrawal) the person means: a retry after a lost answer is the same one.
  const actionKey = useRef(`s-${randomId()}`);

  const adopt = useCallback(
    (fresh: ProposalView, readBeforeLatestPush: boolean | null) => {
      setView((current) => {
        if (current && readBeforeLatestPush === true && fresh.revision <= current.revision) return current;
        // A pushed view says nothing of the reader: keep what the last read said.
        return { ...fresh, viewer: fresh.viewer ?? current?.viewer ?? null };
      });
      noteProposal(fresh);
    },
    [noteProposal],
  );

  const { missing, read } = useFollowed('proposal', id, useCallback(() => getProposal(api, id), [api, id]), adopt);
  // Back on this screen (from a project, from "verify my phone"): read again.
  const [entered, setEntered] = useState(0);
  useIonViewWillEnter(() => {
    setEntered((n) => n + 1);
    void read();
  }, [read]);

  // The server's word on the reader, when it says it, is kept on the phone for when it does not.
  useEffect(() => {
    const said = view?.viewer;
    if (!said) return;
    if (said.author) memory.wrote(id);
    if (said.flagged) memory.flagged(id);
    if (mine.supporting === undefined) memory.setSupporting(id, said.supporting);
  }, [view?.viewer, memory, id, mine.supporting]);

  // An accepted proposal leads to the projects carrying it out.
  const accepted = view?.state === 'accepted';
  useEffect(() => {
    if (!accepted) return;
    projectsOf(api, id).then(setProjects, () => undefined);
  }, [api, accepted, id, entered]);

  const commune = communes?.find((c) => c.id === view?.communeId);
  const final = useMemo(() => {
    if (!view?.answer) return false;
    return commune?.proposalPolicy?.answerStates.find((s) => s.id === view.answer!.state)?.final ?? view.answer.state !== 'under_study';
  }, [view?.answer, commune]);

  if (!view) {
    return (
      <Page title={t('proposals.title')} back="/proposals" ready={missing}>
        {missing ? <p className="empty">{t('proposal.notFound')}</p> : <p className="hint">{t('proposal.loading')}</p>}
      </Page>
    );
  }

  const viewer: ProposalViewer = { ...memory.viewerOf(view), ...mine };
  const closed = final || closedStates.has(view.state);
  const levelMissing = me?.level === 'device';

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setError({ text: t('error.network'), level: false });
        return;
      }
      // Refusals that say where the person stands: the screen takes them as the truth.
      if (e.code === 'proposal.already_supported') setMine((m) => ({ ...m, supporting: true }));
      if (e.code === 'proposal.not_supported') setMine((m) => ({ ...m, supporting: false }));
      if (e.code === 'proposal.own') setMine((m) => ({ ...m, author: true }));
      if (e.code === 'proposal.already_flagged') setMine((m) => ({ ...m, flagged: true }));
      setError({ text: problem(e.code), level: e.code === 'proposal.level_too_low' });
    } finally {
      setBusy(false);
    }
  };

  const support = () =>
    act(async () => {
      await supportProposal(api, id, actionKey.current);
      actionKey.current = `s-${randomId()}`;
      setMine((m) => ({ ...m, supporting: true }));
      memory.setSupporting(id, true);
      // News of its answer, even off this screen.
      watchProposal(id);
    });

  const withdraw = () =>
    act(async () => {
      await withdrawSupport(api, id, actionKey.current);
      actionKey.current = `s-${randomId()}`;
      setMine((m) => ({ ...m, supporting: false }));
      memory.setSupporting(id, false);
    });

  const flag = (reason: FlagReason) =>
    act(async () => {
      await flagProposal(api, id, reason);
      setMine((m) => ({ ...m, flagged: true }));
      memory.flagged(id);
      setFlagging(false);
    });

  const category = categories?.find((c) => c.id === view.category);
  const quartier = commune?.quartiers.find((q) => q.id === view.quartierId);
  const threshold = view.supportThreshold ?? commune?.proposalPolicy?.supportThreshold;
  const answerText = view.answer && (view.answer.text[language] ?? view.answer.text[language === 'fr' ? 'en' : 'fr']);
  const answerLang = view.answer && !view.answer.text[language] ? (language === 'fr' ? 'en' : 'fr') : undefined;

  const footer = viewer.author ? undefined : viewer.supporting ? (
    <div className="support-done">
      <p className="me-too-done" data-testid="supporting">
        <IonIcon icon={checkmarkCircle} aria-hidden="true" /> {t('proposal.supporting')}
      </p>
      {!closed && (
        <IonButton expand="block" fill="outline" disabled={busy || !online} onClick={() => void withdraw()} data-testid="withdraw-support">
          {t('proposal.withdrawSupport')}
        </IonButton>
      )}
    </div>
  ) : levelMissing ? undefined : (
    <IonButton expand="block" size="large" disabled={closed || busy || !online} onClick={() => void support()} data-testid="support">
      <IonIcon slot="start" icon={thumbsUpOutline} aria-hidden="true" />
      {busy ? t('proposal.sending') : t('proposal.support')}
    </IonButton>
  );

  return (
    <Page title={t('proposals.title')} back="/proposals" footer={footer}>
      <div className="detail-head">
        <StateChip proposal={view} />
        <span className={`live-dot live-dot--${liveState}`} title={t('proposal.live')} aria-label={t('proposal.live')} role="img" />
      </div>
      <h1 className="screen-title" data-testid="proposal-title">
        {view.title}
      </h1>
      <p className="proposal-meta">
        {category && (
          <span>
            <IonIcon icon={categoryIcon(category.icon)} aria-hidden="true" /> {category.labels[language]}
          </span>
        )}
        <span>{view.author.kind === 'group' && view.author.name ? t('proposal.byGroup', { name: view.author.name }) : t('proposal.byResident')}</span>
        <span>{t('proposal.submitted', { date: formatDateTime(view.submittedAt, language) })}</span>
      </p>

      {/* The commune's answer first: once there is one, it is what the person comes to read. */}
      {view.answer && (
        <section className="callout proposal-answer" aria-labelledby="answer-heading" data-testid="answer" data-state={view.answer.state}>
          <h2 id="answer-heading" className="section-title">
            {t('proposal.answer')}
          </h2>
          <StateChip proposal={{ state: view.answer.state, communeId: view.communeId }} />
          {answerText && <p lang={answerLang}>{answerText}</p>}
          {view.answer.cost !== null && (
            <p className="proposal-fact">
              <IonIcon icon={cashOutline} aria-hidden="true" /> {t('proposal.answerCost', { amount: formatMoney(view.answer.cost, 'XAF', language) })}
            </p>
          )}
          <p className="hint">{t('proposal.answeredOn', { date: formatDateTime(view.answer.answeredAt, language) })}</p>
          {projects.map((project) => (
            <IonButton key={project.id} expand="block" routerLink={`/projects/${project.id}`} data-testid="project-link" data-project-id={project.id}>
              <IonIcon slot="start" icon={constructOutline} aria-hidden="true" />
              {t('proposal.project', { title: project.title })}
            </IonButton>
          ))}
        </section>
      )}

      <Photos media={view.media} title={view.title} />
      <p className="detail-description">{view.description}</p>
      {view.costEstimate !== null && (
        <p className="proposal-fact">
          <IonIcon icon={cashOutline} aria-hidden="true" /> {t('proposal.costEstimate', { amount: formatMoney(view.costEstimate, 'XAF', language) })}
        </p>
      )}
      <p className="proposal-fact" data-testid="proposal-place">
        <IonIcon icon={locationOutline} aria-hidden="true" /> {[quartier?.name, commune?.name].filter(Boolean).join(', ')}
        {view.location && ` · ${encodePlusCode(view.location.lat, view.location.lon)}`}
      </p>
      {view.location &&
        (showMap ? (
          <LazyMap
            communes={communes ?? []}
            markers={[{ id: view.id, lat: view.location.lat, lon: view.location.lon, badge: '1', label: view.title, selectable: false }]}
            label={t('proposal.placeMap')}
            fallback={null}
          />
        ) : (
          // The map's code is large for 2G: fetched only when asked for.
          <IonButton fill="outline" onClick={() => setShowMap(true)}>
            <IonIcon slot="start" icon={mapOutline} aria-hidden="true" />
            {t('proposal.showMap')}
          </IonButton>
        ))}

      <section className="proposal-support" aria-live="polite">
        <p className="proposal-support-count">
          <Supports n={view.supports} testId="supports" />
        </p>
        {threshold !== undefined && !view.answer && view.supports < threshold && (
          <>
            <div className="meter" role="progressbar" aria-valuemin={0} aria-valuemax={threshold} aria-valuenow={view.supports} aria-label={t('proposals.threshold', { n: view.supports, threshold })}>
              <span style={{ width: `${Math.min(100, (view.supports / threshold) * 100)}%` }} />
            </div>
            <p className="hint">{t('proposals.threshold', { n: view.supports, threshold })}</p>
          </>
        )}
        <Deadline proposal={view} />
        {viewer.author && <p className="callout">{t('proposal.yours')}</p>}
        {!viewer.author && closed && <p className="hint">{t('proposal.closed')}</p>}
        {!viewer.author && !viewer.supporting && !closed && levelMissing && <VerifyPhone />}
      </section>

      {error && (
        <div role="alert" className="callout callout--danger" data-testid="proposal-error">
          <p>{error.text}</p>
          {error.level && (
            <IonButton fill="outline" routerLink="/me/phone">
              {t('propose.verifyPhone')}
            </IonButton>
          )}
        </div>
      )}

      {!viewer.author && (
        <section className="proposal-flag">
          {viewer.flagged ? (
            <p className="hint" data-testid="flagged">
              <IonIcon icon={flagOutline} aria-hidden="true" /> {t('proposal.flagged')}
            </p>
          ) : flagging ? (
            <fieldset className="choices">
              <legend>{t('proposal.flagWhy')}</legend>
              {flagReasons.map((reason) => (
                <button key={reason} type="button" className="choice" disabled={busy || !online} data-flag-reason={reason} onClick={() => void flag(reason)}>
                  {t(`proposal.flag.${reason}`)}
                </button>
              ))}
              <IonButton fill="clear" onClick={() => setFlagging(false)}>
                <IonIcon slot="start" icon={closeOutline} aria-hidden="true" />
                {t('proposal.cancel')}
              </IonButton>
            </fieldset>
          ) : (
            <IonButton fill="clear" color="medium" onClick={() => setFlagging(true)} data-testid="flag">
              <IonIcon slot="start" icon={flagOutline} aria-hidden="true" />
              {t('proposal.flag')}
            </IonButton>
          )}
        </section>
      )}
    </Page>
  );
}
