import { IonButton, useIonRouter } from '@ionic/react';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { PhotoPicker, usePhotoCapture } from '../photo/PhotoPicker.tsx';
import { useDraft } from './draft.tsx';

/** Screen 2 of 4: a photo from the camera or the gallery, made small on the phone. */
export function PhotoStep() {
  const { t } = useI18n();
  const { draft, update } = useDraft();
  const router = useIonRouter();
  const capture = usePhotoCapture((photo) => update({ photo }));

  const next = () => router.push('/report/position', 'forward');

  return (
    <Page
      title={t('tabs.report')}
      back="/report"
      footer={
        <IonButton expand="block" size="large" onClick={next} disabled={capture.busy} data-testid="photo-next">
          {draft.photo ? t('report.next') : t('report.photo.skip')}
        </IonButton>
      }
    >
      <p className="step">{t('report.step', { n: 2 })}</p>
      <h1 className="screen-title">{t('report.photo.title')}</h1>
      <p className="hint">{t('report.photo.hint')}</p>

      <PhotoPicker capture={capture} photos={draft.photo ? [draft.photo] : []} canAdd={!draft.photo} onRemove={() => update({ photo: null })} />
    </Page>
  );
}
