import { IonButton, IonIcon, IonSpinner } from '@ionic/react';
import { cameraOutline, imagesOutline, trashOutline } from 'ionicons/icons';
import { useState } from 'react';
import { formatBytes } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { chooseFromGallery, isCancellation, takePhoto } from './capture.ts';
import { compressPhoto, type CompressedPhoto } from './compress.ts';

/** A photo made small on the phone, with the URL its preview shows. */
export type PickedPhoto = CompressedPhoto & { url: string };

export interface PhotoCapture {
  busy: boolean;
  failed: boolean;
  acquire(source: () => Promise<Blob>): Promise<void>;
}

/** Takes or chooses a photo and makes it small; `add` receives it once ready. */
export function usePhotoCapture(add: (photo: PickedPhoto) => void): PhotoCapture {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const acquire = async (source: () => Promise<Blob>) => {
    setFailed(false);
    try {
      const original = await source();
      setBusy(true);
      const compressed = await compressPhoto(original);
      add({ ...compressed, url: URL.createObjectURL(compressed.blob) });
    } catch (error) {
      if (!isCancellation(error)) setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failed, acquire };
}

interface PhotoPickerProps {
  capture: PhotoCapture;
  photos: readonly PickedPhoto[];
  /** Whether the camera and gallery buttons show (there is room for another photo). */
  canAdd: boolean;
  onRemove(photo: PickedPhoto): void;
  /** The description of the i-th photo; none when the screen's words already say it. */
  alt?: (index: number) => string;
}

/** The previews with their size and a remove button, the camera and gallery buttons, and how it goes. */
export function PhotoPicker({ capture, photos, canAdd, onRemove, alt }: PhotoPickerProps) {
  const { t, language } = useI18n();
  const { busy, failed, acquire } = capture;
  return (
    <>
      {photos.map((photo, i) => (
        <figure className="photo-preview" key={photo.url}>
          <img src={photo.url} alt={alt?.(i) ?? ''} width={photo.width} height={photo.height} />
          <figcaption data-testid="photo-size" data-bytes={photo.blob.size}>
            {t('report.photo.size', { size: formatBytes(photo.blob.size, language) })}
          </figcaption>
          <IonButton fill="clear" color="danger" onClick={() => onRemove(photo)}>
            <IonIcon slot="start" icon={trashOutline} aria-hidden="true" />
            {t('report.photo.remove')}
          </IonButton>
        </figure>
      ))}
      {canAdd && (
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
    </>
  );
}
