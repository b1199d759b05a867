import { IonButton, IonIcon, IonItem, IonList, useIonRouter } from '@ionic/react';
import { sendOutline } from 'ionicons/icons';
import { useState } from 'react';
import { useServices } from '../../app/context.tsx';
import { TextField } from '../../components/Field.tsx';
import { Page } from '../../components/Page.tsx';
import { useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';
import { useMe, VerifyPhone } from '../parts.tsx';
import { descriptionLength, draftReady, proposalRequest, titleLength } from '../request.ts';

/** Screen 4 of 4: a title, a few words, an optional cost; sent through the outbox, so offline it waits on the phone. */
export function DetailsStep() {
  const { t } = useProposalsI18n();
  const { outbox, notices } = useServices();
  const { draft, update, reset } = useProposalDraft();
  const me = useMe();
  const router = useIonRouter();
  const [sending, setSending] = useState(false);
  // Known to be refused (the phone is not verified): say so here rather than after a wait in the outbox.
  const levelMissing = me?.level === 'device';
  const ready = draftReady(draft) && !levelMissing;

  const send = async () => {
    if (!ready || sending) return;
    setSending(true);
    try {
      // Stored on the phone first (IndexedDB), then sent with its Idempotency-Key: exactly once, never lost.
      await outbox.enqueue({ kind: 'proposal', proposal: proposalRequest(draft) }, draft.photos.map((p) => p.blob));
      if (!navigator.onLine) notices.push({ key: 'notify.proposalQueued', tone: 'info' });
      reset();
      router.push('/proposals', 'root', 'replace');
    } finally {
      setSending(false);
    }
  };

  // Arriving here without the earlier steps (a reload): start again from the first.
  if (!draft.category || !draft.place) {
    return (
      <Page title={t('proposals.propose')} back="/proposals/new">
        <IonButton expand="block" routerLink="/proposals/new" routerDirection="root">
          {t('propose.category.title')}
        </IonButton>
      </Page>
    );
  }

  return (
    <Page
      title={t('proposals.propose')}
      back="/proposals/new/place"
      footer={
        <IonButton expand="block" size="large" disabled={!ready || sending} onClick={() => void send()} data-testid="proposal-send">
          <IonIcon slot="start" icon={sendOutline} aria-hidden="true" />
          {t('propose.details.send')}
        </IonButton>
      }
    >
      <p className="step">{t('propose.step', { n: 4 })}</p>
      <h1 className="screen-title">{t('propose.details.title')}</h1>
      {levelMissing && <VerifyPhone />}
      <IonList inset={false}>
        <IonItem lines="full">
          <TextField
            label={t('propose.details.name')}
            placeholder={t('propose.details.namePlaceholder')}
            value={draft.title}
            maxLength={titleLength.max}
            required
            onChange={(title) => update({ title })}
            testId="proposal-title"
          />
        </IonItem>
        <p className="hint">{t('propose.details.nameHelp')}</p>
        <IonItem lines="full">
          <TextField
            label={t('propose.details.description')}
            placeholder={t('propose.details.descriptionPlaceholder')}
            value={draft.description}
            multiline
            rows={4}
            maxLength={descriptionLength.max}
            required
            onChange={(description) => update({ description })}
            testId="proposal-description"
          />
        </IonItem>
        <p className="hint">{t('propose.details.descriptionHelp')}</p>
        <IonItem lines="full">
          <TextField label={t('propose.details.cost')} inputMode="numeric" value={draft.cost} maxLength={20} onChange={(cost) => update({ cost })} testId="proposal-cost" />
        </IonItem>
      </IonList>
    </Page>
  );
}
