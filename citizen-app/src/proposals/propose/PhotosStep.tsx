import { IonButton, useIonRouter } from '@ionic/react';
import { Page } from '../../components/Page.tsx';
import { PhotoPicker, usePhotoCapture } from '../../photo/PhotoPicker.tsx';
import { currentProposalDraft, maxPhotos, useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';

/** Screen 2 of 4: up to three photos of the place, from the camera or the gallery, made small on the phone. */
export function PhotosStep() {
  const { t } = useProposalsI18n();
  const { draft, update } = useProposalDraft();
  const router = useIonRouter();
  // Read at the end: the draft may have changed while the photo was made smaller.
  const capture = usePhotoCapture((photo) => update({ photos: [...currentProposalDraft().photos, photo].slice(0, maxPhotos) }));

  return (
    <Page
      title={t('proposals.propose')}
      back="/proposals/new"
      footer={
        <IonButton expand="block" size="large" onClick={() => router.push('/proposals/new/place', 'forward')} disabled={capture.busy} data-testid="photos-next">
          {draft.photos.length > 0 ? t('report.next') : t('report.photo.skip')}
        </IonButton>
      }
    >
      <p className="step">{t('propose.step', { n: 2 })}</p>
      <h1 className="screen-title">{t('propose.photos.title')}</h1>
      <p className="hint">{t('propose.photos.hint', { n: maxPhotos })}</p>

      <PhotoPicker
        capture={capture}
        photos={draft.photos}
        canAdd={draft.photos.length < maxPhotos}
        onRemove={(photo) => update({ photos: draft.photos.filter((p) => p !== photo) })}
        alt={(i) => t('propose.photos.alt', { n: i + 1 })}
      />
    </Page>
  );
}
