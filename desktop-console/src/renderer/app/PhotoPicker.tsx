import { useServices } from './services.js';
import { ProblemLine, useSubmission } from './submission.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * Photos chosen on this PC, put in the media library as they are picked (`POST /api/media`): the
 * form then names their ids. A staff member's photo keeps where it was taken (the server reads its
 * GPS before stripping it). Thumbnails with a button to take one out again.
 */
export function PhotoPicker({
  legend,
  mediaIds,
  onAdd,
  onRemove,
  max,
  name = 'photos',
  testId,
}: {
  legend: string;
  mediaIds: readonly string[];
  onAdd: (mediaId: string) => void;
  onRemove: (mediaId: string) => void;
  max: number;
  /** The file input's name. */
  name?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const { api } = useServices();
  const { sending: uploading, problem, submit } = useSubmission();
  const add = (files: readonly File[]) =>
    submit(async () => {
      for (const file of files.slice(0, max - mediaIds.length)) onAdd((await api.uploadPhoto(file, file.name)).mediaId);
    });
  return (
    <fieldset className="photo-picker">
      <legend>{legend}</legend>
      {mediaIds.length > 0 && (
        <ul className="thumbs" data-testid={testId}>
          {mediaIds.map((id, n) => (
            <li key={id}>
              <img src={`${api.baseUrl}/api/media/${id}/thumb`} alt={t('panel.photoOf', { n: n + 1, count: mediaIds.length })} className="thumb" />
              <button type="button" aria-label={t('photos.remove', { n: n + 1 })} onClick={() => onRemove(id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('photos.add')}
        <input type="file" name={name} accept="image/*" multiple disabled={uploading || mediaIds.length >= max} onChange={(e) => void add([...(e.target.files ?? [])]).then(() => (e.target.value = ''))} />
      </label>
      {uploading && <span className="muted">{t('photos.uploading')}</span>}
      <ProblemLine problem={problem} />
    </fieldset>
  );
}
