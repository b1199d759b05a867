import { IonButton, IonIcon, IonSpinner, useIonRouter } from '@ionic/react';
import { cameraOutline, imagesOutline, trashOutline } from 'ionicons/icons';
import { useState } from 'react';
import { Page } from '../components/Page.tsx';
import { formatBytes } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { compressPhoto } from '../photo/compress.ts';
import { chooseFromGallery, isCancellation, takePhoto } from '../photo/capture.ts';
import { useDraft } from './draft.tsx';

/** Screen 2 of 4: a photo from the camera or the gallery, made small on the phone. */
export function PhotoStep() {
  const { t, language } = useI18n();
  const { draft, update } = useDraft();
  const router = useIonRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const acquire = async (source: () => Promise<Blob>) => {
    setFailed(false);
    try {
      const original = await source();
      setBusy(true);
      const compressed = await compressPhoto(original);
      update({ photo: { ...compressed, url: URL.createObjectURL(compressed.blob) } });
    } catch (error) {
      if (!isCancellation(error)) setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const next = () => router.push('/report/position', 'forward');

  return (
    <Page
      title={t('tabs.report')}
      back="/report"
      footer={
        <IonButton expand="block" size="large" onClick={next} disabled={busy} data-testid="photo-next">
          {draft.photo ? t('report.next') : t('report.photo.skip')}
        </IonButton>
      }
    >
      <p className="step">{t('report.step', { n: 2 })}</p>
      <h1 className="screen-title">{t('report.photo.title')}</h1>
      <p className="hint">{t('report.photo.hint')}</p>

      {draft.photo ? (
        <figure className="photo-preview">
          <img src={draft.photo.url} alt="" width={draft.photo.width} height={draft.photo.height} />
          <figcaption data-testid="photo-size" data-bytes={draft.photo.blob.size}>
            {t('report.photo.size', { size: formatBytes(draft.photo.blob.size, language) })}
          </figcaption>
          <IonButton fill="clear" color="danger" onClick={() => update({ photo: null })}>
            <IonIcon slot="start" icon={trashOutline} aria-hidden="true" />
            {t('report.photo.remove')}
          </IonButton>
        </figure>
      ) : (
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
