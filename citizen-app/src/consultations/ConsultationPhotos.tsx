import { apiOrigin } from '../api/origin.ts';
import { useOnline } from '../app/context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * The consultation's photos as thumbnails (320 px, a few KB each on 2G, loaded as they scroll into
 * view); a tap opens one full size, fetched only then, in the phone's own viewer where it zooms.
 * Nothing is fetched for a consultation without photos.
 */
export function ConsultationPhotos({ mediaIds, title }: { mediaIds: readonly string[]; title: string }) {
  const { t } = useI18n();
  const online = useOnline();
  if (!mediaIds[0]) return null;
  return (
    <ul className="consultation-photos">
      {mediaIds.map((id, i) => {
        const url = `${apiOrigin}/api/media/${encodeURIComponent(id)}`;
        return (
          <li key={id}>
            <a className="consultation-photo" href={url} target="_blank">
              {/* Offline, a photo not yet in the browser's cache fails: the key makes it try again once the network is back. */}
              <img key={String(online)} src={`${url}/thumb`} alt={t('consultations.photoAlt', { n: i + 1, total: mediaIds.length, title })} width={144} height={108} loading="lazy" decoding="async" />
            </a>
          </li>
        );
      })}
    </ul>
  );
}
