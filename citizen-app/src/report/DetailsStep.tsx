import { IonButton, IonItem, IonList, IonNote, useIonRouter } from '@ionic/react';
import { useState } from 'react';
import { useServices } from '../app/context.tsx';
import { Switch, TextField } from '../components/Field.tsx';
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
      await outbox.enqueue({ kind: 'report', report: reportRequest(draft, new Date()) }, photos);
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
          <TextField
            label={t('report.details.description')}
            placeholder={t('report.details.descriptionPlaceholder')}
            value={draft.description}
            multiline
            rows={3}
            maxLength={4000}
            required
            onChange={(description) => update({ description })}
            testId="description"
          />
        </IonItem>

        <IonItem lines="none">
          <Switch checked={draft.anonymous} onChange={(anonymous) => update({ anonymous })} testId="anonymous">
            {t('report.details.anonymous')}
          </Switch>
        </IonItem>
        <IonNote className="explain">{t('report.details.anonymousHelp')}</IonNote>

        <IonItem lines="none">
          <Switch checked={draft.confidential} onChange={(confidential) => update({ confidential })} testId="confidential">
            {t('report.details.confidential')}
          </Switch>
        </IonItem>
        <IonNote className="explain">{t('report.details.confidentialHelp')}</IonNote>
      </IonList>

      {!draft.anonymous && (
        <details className="contact">
          <summary>{t('report.details.contact')}</summary>
          <p className="hint">{t('report.details.contactHelp')}</p>
          <IonList>
            <IonItem>
              <TextField label={t('report.details.name')} autoComplete="name" value={draft.contact.name ?? ''} onChange={(name) => update({ contact: { ...draft.contact, name } })} />
            </IonItem>
            <IonItem>
              <TextField label={t('report.details.phone')} type="tel" inputMode="tel" autoComplete="tel" value={draft.contact.phone ?? ''} onChange={(phone) => update({ contact: { ...draft.contact, phone } })} />
            </IonItem>
            <IonItem>
              <TextField label={t('report.details.email')} type="email" autoComplete="email" value={draft.contact.email ?? ''} onChange={(email) => update({ contact: { ...draft.contact, email } })} />
            </IonItem>
          </IonList>
        </details>
      )}
    </Page>
  );
}
