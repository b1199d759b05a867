import { IonButton, IonInput, IonItem, IonList, IonNote, IonTextarea, IonToggle, useIonRouter } from '@ionic/react';
import { useState } from 'react';
import { useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useReference } from '../reference/reference.ts';
import { useDraft } from './draft.tsx';
import { reportRequest } from './request.ts';

/** Screen 4 of 4: a few words, the privacy choices in plain words, optional contact, send. */
export function DetailsStep() {
  const { t, language } = useI18n();
  const { outbox, reference, notices } = useServices();
  const { categories } = useReference(reference);
  const { draft, update, reset } = useDraft();
  const router = useIonRouter();
  const [sending, setSending] = useState(false);
  const category = categories?.find((c) => c.id === draft.category);
  const ready = Boolean(draft.category && draft.position && draft.description.trim().length > 0);

  const send = async () => {
    if (!ready || sending) return;
    setSending(true);
    try {
      const photos = draft.photo ? [draft.photo.blob] : [];
      await outbox.enqueue(reportRequest(draft, new Date()), photos);
      if (!navigator.onLine) notices.push({ key: 'report.queued', tone: 'info' });
      reset();
      router.push('/reports', 'root', 'replace');
    } finally {
      setSending(false);
    }
  };

  // Arriving here without the earlier steps (a reload): start again from the category.
  if (!draft.category || !draft.position) {
    return (
      <Page title={t('tabs.report')} back="/report">
        <IonButton expand="block" routerLink="/report" routerDirection="root">
          {t('report.category.title')}
        </IonButton>
      </Page>
    );
  }

  return (
    <Page
      title={t('tabs.report')}
      back="/report/position"
      footer={
        <IonButton expand="block" size="large" disabled={!ready || sending} onClick={() => void send()} data-testid="send">
          {t('report.details.send')}
        </IonButton>
      }
    >
      <p className="step">{t('report.step', { n: 4 })}</p>
      <h1 className="screen-title">{t('report.details.title')}</h1>

      {category && category.subcategories.length > 0 && (
        <fieldset className="choices">
          <legend>{t('report.subcategory.label')}</legend>
          {category.subcategories.map((sub) => (
            <button
              key={sub.id}
              type="button"
              className="choice"
              aria-pressed={draft.subcategory === sub.id}
              data-subcategory={sub.id}
              onClick={() => update({ subcategory: draft.subcategory === sub.id ? null : sub.id })}
            >
              {sub.labels[language]}
            </button>
          ))}
        </fieldset>
      )}

      <IonList inset={false}>
        <IonItem lines="full">
          <IonTextarea
            label={t('report.details.description')}
            labelPlacement="stacked"
            placeholder={t('report.details.descriptionPlaceholder')}
            value={draft.description}
            autoGrow
            rows={3}
            maxlength={4000}
            required
            onIonInput={(event) => update({ description: String(event.detail.value ?? '') })}
            data-testid="description"
          />
        </IonItem>

        <IonItem lines="none">
          <IonToggle checked={draft.anonymous} onIonChange={(event) => update({ anonymous: event.detail.checked })} data-testid="anonymous">
            {t('report.details.anonymous')}
          </IonToggle>
        </IonItem>
        <IonNote className="explain">{t('report.details.anonymousHelp')}</IonNote>

        <IonItem lines="none">
          <IonToggle checked={draft.confidential} onIonChange={(event) => update({ confidential: event.detail.checked })} data-testid="confidential">
            {t('report.details.confidential')}
          </IonToggle>
        </IonItem>
        <IonNote className="explain">{t('report.details.confidentialHelp')}</IonNote>
      </IonList>

      {!draft.anonymous && (
        <details className="contact">
          <summary>{t('report.details.contact')}</summary>
          <p className="hint">{t('report.details.contactHelp')}</p>
          <IonList>
            <IonItem>
              <IonInput label={t('report.details.name')} labelPlacement="stacked" autocomplete="name" value={draft.contact.name ?? ''} onIonInput={(e) => update({ contact: { ...draft.contact, name: String(e.detail.value ?? '') } })} />
            </IonItem>
            <IonItem>
              <IonInput label={t('report.details.phone')} labelPlacement="stacked" type="tel" inputmode="tel" autocomplete="tel" value={draft.contact.phone ?? ''} onIonInput={(e) => update({ contact: { ...draft.contact, phone: String(e.detail.value ?? '') } })} />
            </IonItem>
            <IonItem>
              <IonInput label={t('report.details.email')} labelPlacement="stacked" type="email" autocomplete="email" value={draft.contact.email ?? ''} onIonInput={(e) => update({ contact: { ...draft.contact, email: String(e.detail.value ?? '') } })} />
            </IonItem>
          </IonList>
        </details>
      )}
    </Page>
  );
}
