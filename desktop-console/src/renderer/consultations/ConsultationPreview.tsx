import type { CommuneInfo } from '../api/types.js';
import { type Language, translate } from '../i18n/i18n.js';
import type { DraftFields } from './draft.js';

/**
 * The consultation as a resident's phone shows it, in the language chosen, from the form as it is
 * now: the organiser sees a missing translation or a confusing option before anyone votes.
 */
export function ConsultationPreview({ fields, commune, language, photoUrl }: { fields: DraftFields; commune: CommuneInfo; language: Language; photoUrl: (mediaId: string) => string }) {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(language, key, params);
  const missing = <span className="preview-missing">{t('editor.preview.missing')}</span>;
  const text = (value: { fr: string; en: string }) => (value[language].trim() ? value[language] : missing);
  const money = new Intl.NumberFormat(language === 'fr' ? 'fr-CM' : 'en-CM');
  const dateTime = new Intl.DateTimeFormat(language === 'fr' ? 'fr-CM' : 'en-CM', { dateStyle: 'medium', timeStyle: 'short' });
  const when = (local: string) => (Number.isNaN(new Date(local).getTime()) ? '…' : dateTime.format(new Date(local)));
  const sites = fields.questions.reduce((n, q) => n + q.options.filter((o) => o.point !== null).length, 0);
  const scope = fields.quartierIds.length === 0 ? commune.name : fields.quartierIds.map((id) => commune.quartiers.find((q) => q.id === id)?.name ?? id).join(', ');
  return (
    <article className="citizen-preview" lang={language} data-testid="consultation-preview">
      <h4>{text(fields.title)}</h4>
      {fields.mediaIds.length > 0 && (
        <div className="thumbs">
          {fields.mediaIds.map((id) => (
            <img key={id} src={photoUrl(id)} alt="" className="thumb" loading="lazy" />
          ))}
        </div>
      )}
      {(fields.description.fr || fields.description.en) && <p>{text(fields.description)}</p>}
      <p className="muted">
        {t('preview.schedule', { opens: when(fields.opensAt), closes: when(fields.closesAt) })}
        <br />
        {t('preview.scope', { scope })} · {t(`level.${fields.requiredLevel}`)}
        {sites > 0 && (
          <>
            <br />
            {t('preview.sites', { n: sites })}
          </>
        )}
      </p>
      {fields.questions.map((q, i) => (
        <section key={i} className="preview-question">
          <p className="preview-question-text">{text(q.text)}</p>
          {q.kind === 'single' &&
            q.options.map((o, j) => (
              <label key={j}>
                <input type="radio" disabled name={`preview-${i}`} /> {text(o.label)}
              </label>
            ))}
          {q.kind === 'multiple' && (
            <>
              <p className="muted">{t('preview.upTo', { n: q.maxChoices || '?' })}</p>
              {q.options.map((o, j) => (
                <label key={j}>
                  <input type="checkbox" disabled /> {text(o.label)}
                </label>
              ))}
            </>
          )}
          {q.kind === 'scale' && (
            <div className="preview-scale">
              {[1, 2, 3, 4, 5].map((n) => (
                <button key={n} type="button" disabled>
                  {n}
                </button>
              ))}
            </div>
          )}
          {q.kind === 'text' && <textarea disabled rows={2} placeholder={t('preview.freeText')} />}
          {q.kind === 'budget' && (
            <>
              <p className="muted">{t('preview.budget', { total: q.budget ? money.format(Number(q.budget.replace(/\D/g, '')) || 0) : '?' })}</p>
              {q.options.map((o, j) => (
                <label key={j}>
                  <input type="checkbox" disabled /> {text(o.label)} — {o.cost ? `${money.format(Number(o.cost.replace(/\D/g, '')) || 0)} FCFA` : '?'}
                </label>
              ))}
            </>
          )}
        </section>
      ))}
      <button type="button" className="primary" disabled>
        {t('preview.vote')}
      </button>
    </article>
  );
}
