import { useEffect, useState } from 'react';
import type { TicketMedia } from '../api/types.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';

/** Photo ids are content hashes served without a token, so plain lazy <img> tags do. */
function Img({ url, alt, className }: { url: string; alt: string; className: string }) {
  const { api } = useServices();
  return <img src={`${api.baseUrl}${url}`} alt={alt} className={className} loading="lazy" decoding="async" />;
}

export function Photos({ media }: { media: readonly TicketMedia[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  const current = open === null ? null : media[open];

  useEffect(() => {
    if (open === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(null);
      } else if (e.key === 'ArrowRight') setOpen((i) => (i === null ? i : (i + 1) % media.length));
      else if (e.key === 'ArrowLeft') setOpen((i) => (i === null ? i : (i - 1 + media.length) % media.length));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, media.length]);

  if (media.length === 0) return <p className="muted">{t('panel.noPhotos')}</p>;
  return (
    <>
      <ul className="thumbs">
        {media.map((m, i) => (
          <li key={m.id}>
            <button type="button" onClick={() => setOpen(i)} aria-label={t('panel.photoOf', { n: i + 1, count: media.length })}>
              <Img url={m.thumbnailUrl} alt={t('panel.photoOf', { n: i + 1, count: media.length })} className="thumb" />
            </button>
          </li>
        ))}
      </ul>
      {current && open !== null && (
        <div className="lightbox" role="dialog" aria-modal="true" aria-label={t('panel.fullSize')} onClick={() => setOpen(null)}>
          <Img url={current.url} alt={t('panel.photoOf', { n: open + 1, count: media.length })} className="full" />
          <span className="lightbox-caption">{t('panel.photoOf', { n: open + 1, count: media.length })}</span>
        </div>
      )}
    </>
  );
}
