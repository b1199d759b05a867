import { IonButton, IonIcon, IonSpinner, useIonRouter } from '@ionic/react';
import { cameraOutline, imagesOutline, trashOutline } from 'ionicons/icons';
import { useState } from 'react';
import { Page } from '../../components/Page.tsx';
import { formatBytes } from '../../i18n/format.ts';
import { chooseFromGallery, isCancellation, takePhoto } from '../../photo/capture.ts';
import { compressPhoto } from '../../photo/compress.ts';
import { currentProposalDraft, maxPhotos, useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';

/** Screen 2 of 4: up to three photos of the place, from the camera or the gallery, made small on the phone. */
export function PhotosStep() {
  const { t, language } = useProposalsI18n();
  const { draft, update } = useProposalDraft();
  const router = useIonRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const acquire = async (source: () => Promise<Blob>) => {
    setFailed(false);
    try {
      const original = await source();
      setBusy(true);
      const compressed = await compressPhoto(original);
      // Read at the end: the draft may have changed while the photo was made smaller.
      update({ photos: [...currentProposalDraft().photos, { ...compressed, url: URL.createObjectURL(compressed.blob) }].slice(0, maxPhotos) });
    } catch (error) {
      if (!isCancellation(error)) setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('proposals.propose')}
      back="/proposals/new"
      footer={
        <IonButton expand="block" size="large" onClick={() => router.push('/proposals/new/place', 'forward')} disabled={busy} data-testid="photos-next">
          {draft.photos.length > 0 ? t('report.next') : t('report.photo.skip')}
        </IonButton>
      }
    >
      <p className="step">{t('propose.step', { n: 2 })}</p>
      <h1 className="screen-title">{t('propose.photos.title')}</h1>
      <p className="hint">{t('propose.photos.hint', { n: maxPhotos })}</p>

      {draft.photos.map((photo, i) => (
        <figure className="photo-preview" key={photo.url}>
          <img src={photo.url} alt={t('propose.photos.alt', { n: i + 1 })} width={photo.width} height={photo.height} />
          <figcaption data-testid="photo-size" data-bytes={photo.blob.size}>
            {t('report.photo.size', { size: formatBytes(photo.blob.size, language) })}
          </figcaption>
          <IonButton fill="clear" color="danger" onClick={() => update({ photos: draft.photos.filter((p) => p !== photo) })}>
            <IonIcon slot="start" icon={trashOutline} aria-hidden="true" />
            {t('report.photo.remove')}
          </IonButton>
        </figure>
      ))}
      {draft.photos.length < maxPhotos && (
        <div className="photo-actions">
          <IonButton expand="block" size="large" onClick={() => void acquire(takePhoto)} disabled={busy}>
            <IonIcon slot="start" icon={cameraOutline} aria-hidden="true" />
            {t('report.photo.take')}
          </IonButton>
          <IonButton expand="block" size="large" fill="outline" onClick={() => void acquire(chooseFromGallery)} disabled={busy}>
            <IonIcon slot="start" icon={imagesOutline} aria-hidden="true" />
            {t('report.photo.choose')}
          </IonButton>
        </div>
      )}
      {busy && (
        <p role="status" className="busy">
          <IonSpinner name="dots" aria-hidden="true" /> {t('report.photo.processing')}
        </p>
      )}
      {failed && (
        <p role="alert" className="callout callout--warning">
          {t('report.photo.failed')}
        </p>
      )}
    </Page>
  );
}
