import type { IdentityLevel, LocalizedText, QuestionKind, ResultsVisibility } from '@palabre/domain';
import { useMemo, useRef, useState } from 'react';
import { useServices } from '../app/services.js';
import type { CommuneInfo } from '../api/types.js';
import { ChoiceField } from '../app/fields.js';
import { PhotoPicker } from '../app/PhotoPicker.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { type Language, useI18n } from '../i18n/i18n.js';
import { ApiProblem } from '../api/problem.js';
import type { ConsultationDetail, ConsultationsApi } from './consultations-api.js';
import { ConsultationPreview } from './ConsultationPreview.js';
import { EditorMap, type MappableOption } from './EditorMap.js';
import { type DraftFields, type FieldError, fieldsFrom, newDraft, newOption, newQuestion, type OptionFields, type QuestionFields, toDraft, withKind } from './draft.js';

const kinds: readonly QuestionKind[] = ['single', 'multiple', 'scale', 'text', 'budget'];
const levels: readonly IdentityLevel[] = ['device', 'phone', 'in_person'];
const visibilities: readonly ResultsVisibility[] = ['at_close', 'live'];
const maxPhotos = 20;

/**
 * A new consultation, or a draft revised (`editing`): every text in French and English side by side, the scope, the schedule, the
 * questions; beside it, the consultation as a resident will see it, in either language.
 */
export function ConsultationEditor({
  commune,
  api,
  map,
  editing,
  onSaved,
  onCancel,
}: {
  commune: CommuneInfo;
  api: ConsultationsApi;
  map: { styleUrl: string | null; token: string };
  editing?: ConsultationDetail;
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [fields, setFields] = useState<DraftFields>(() => (editing ? fieldsFrom(editing) : newDraft(new Date())));
  // Shown once saving was tried, then kept current: a field fixed loses its message as it is typed.
  const [attempted, setAttempted] = useState(false);
  const { sending: saving, problem, submit } = useSubmission();
  const [previewLanguage, setPreviewLanguage] = useState<Language>(i18n.language);
  // One key per consultation being written: a second click, or a retry after a lost answer, drafts it once.
  const idempotencyKey = useRef(crypto.randomUUID());
  const checked = useMemo(() => toDraft(fields, commune.id), [fields, commune.id]);
  const { api: client } = useServices();
  const [placing, setPlacing] = useState<{ question: number; option: number } | null>(null);
  const mappable: MappableOption[] = fields.questions.flatMap((q, i) =>
    q.options.map((o, j) => ({ question: i, option: j, label: o.label[i18n.language].trim() || o.label.fr.trim() || o.label.en.trim(), point: o.point })),
  );
  const placingOption = placing ? (mappable.find((o) => o.question === placing.question && o.option === placing.option) ?? null) : null;
  const toggleQuartier = (id: string) => setFields((f) => ({ ...f, quartierIds: f.quartierIds.includes(id) ? f.quartierIds.filter((q) => q !== id) : [...f.quartierIds, id] }));
  const errors: readonly FieldError[] = attempted ? checked.errors : [];

  const set = (patch: Partial<DraftFields>) => setFields((f) => ({ ...f, ...patch }));
  const setQuestion = (index: number, patch: (q: QuestionFields) => QuestionFields) => setFields((f) => ({ ...f, questions: f.questions.map((q, i) => (i === index ? patch(q) : q)) }));
  const setOption = (index: number, optionIndex: number, patch: Partial<OptionFields>) =>
    setQuestion(index, (q) => ({ ...q, options: q.options.map((o, j) => (j === optionIndex ? { ...o, ...patch } : o)) }));
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  const invalid = (field: string) => (errorOf(field) ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error` } : {});
  const explain = (field: string) => {
    const error = errorOf(field);
    return error ? (
      <span className="field-error" id={`${field}-error`} role="alert">
        {t(`editor.problem.${error.reason}`)}
      </span>
    ) : null;
  };

  const bilingual = (field: string, label: string, value: LocalizedText, onChange: (value: LocalizedText) => void, multiline = false) => (
    <fieldset className="bilingual">
      <legend>{label}</legend>
      {(['fr', 'en'] as const).map((lang) => {
        const props = {
          name: `${field}.${lang}`,
          value: value[lang],
          lang,
          'aria-label': `${label} (${t(`language.${lang}`)})`,
          onChange: (e: { target: { value: string } }) => onChange({ ...value, [lang]: e.target.value }),
          ...invalid(`${field}.${lang}`),
        };
        return (
          <label key={lang}>
            <span className="lang-tag">{lang.toUpperCase()}</span>
            {multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
            {explain(`${field}.${lang}`)}
          </label>
        );
      })}
    </fieldset>
  );

  const save = async () => {
    setAttempted(true);
    if (checked.draft === null) return;
    const draft = checked.draft;
    await submit(
      async () => {
        if (editing) {
          await api.revise(editing.id, draft, editing.revision);
          onSaved(editing.id);
        } else onSaved((await api.create(draft, idempotencyKey.current)).id);
      },
      (e) => (e instanceof ApiProblem && e.status === 412 ? t('consultation.changedMeanwhile') : i18n.problem(e)),
    );
  };

  return (
    <div className="consultation-editor" data-testid="consultation-editor">
      <form
        className="editor-form"
        aria-label={t('editor.title')}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>{editing ? t('editor.revise', { title: editing.title[i18n.language] }) : t('editor.title')}</h2>
        {bilingual('title', t('editor.field.title'), fields.title, (title) => set({ title }))}
        {bilingual('description', t('editor.field.description'), fields.description, (description) => set({ description }), true)}

        <fieldset>
          <legend>{t('editor.field.scope')}</legend>
          <label>
            <input type="radio" name="scope" checked={fields.quartierIds.length === 0} onChange={() => set({ quartierIds: [] })} /> {t('consultations.wholeCommune')} ({commune.name})
          </label>
          <div className="quartier-picks" role="group" aria-label={t('editor.field.quartiers')}>
            {commune.quartiers.map((q) => (
              <label key={q.id}>
                <input
                  type="checkbox"
                  name="quartier"
                  value={q.id}
                  checked={fields.quartierIds.includes(q.id)}
                  onChange={(e) => set({ quartierIds: e.target.checked ? [...fields.quartierIds, q.id] : fields.quartierIds.filter((id) => id !== q.id) })}
                />{' '}
                {q.name}
              </label>
            ))}
          </div>
          <EditorMap
            commune={commune}
            styleUrl={map.styleUrl}
            token={map.token}
            quartierIds={fields.quartierIds}
            onToggleQuartier={toggleQuartier}
            options={mappable}
            placing={placingOption}
            onPlace={(point) => {
              if (placing) setOption(placing.question, placing.option, { point });
              setPlacing(null);
            }}
          />
        </fieldset>

        <PhotoPicker
          legend={t('editor.field.photos')}
          mediaIds={fields.mediaIds}
          onAdd={(mediaId) => setFields((f) => ({ ...f, mediaIds: [...f.mediaIds, mediaId] }))}
          onRemove={(mediaId) => setFields((f) => ({ ...f, mediaIds: f.mediaIds.filter((m) => m !== mediaId) }))}
          max={maxPhotos}
          testId="editor-photos"
        />

        <div className="editor-row">
          <ChoiceField label={t('editor.field.level')} name="requiredLevel" value={fields.requiredLevel} choices={levels} choiceLabel={(l) => t(`level.${l}`)} onChange={(requiredLevel) => set({ requiredLevel })} />
          <label>
            <input type="checkbox" name="adultsOnly" checked={fields.adultsOnly} onChange={(e) => set({ adultsOnly: e.target.checked })} /> {t('editor.field.adultsOnly')}
          </label>
        </div>
        <div className="editor-row">
          <label>
            {t('editor.field.opensAt')}
            <input type="datetime-local" name="opensAt" value={fields.opensAt} onChange={(e) => set({ opensAt: e.target.value })} {...invalid('opensAt')} />
            {explain('opensAt')}
          </label>
          <label>
            {t('editor.field.closesAt')}
            <input type="datetime-local" name="closesAt" value={fields.closesAt} onChange={(e) => set({ closesAt: e.target.value })} {...invalid('closesAt')} />
            {explain('closesAt')}
          </label>
          <ChoiceField
            label={t('editor.field.results')}
            name="resultsVisibility"
            value={fields.resultsVisibility}
            choices={visibilities}
            choiceLabel={(v) => t(`editor.results.${v}`)}
            onChange={(resultsVisibility) => set({ resultsVisibility })}
          />
        </div>

        {fields.questions.map((q, i) => (
          <fieldset key={i} className="question-editor" data-question={i}>
            <legend>{t('editor.question', { n: i + 1 })}</legend>
            <div className="editor-row">
              <ChoiceField
                label={t('editor.field.kind')}
                name={`questions.${i}.kind`}
                value={q.kind}
                choices={kinds}
                choiceLabel={(k) => t(`editor.kind.${k}`)}
                onChange={(kind) => setQuestion(i, (old) => withKind(old, kind))}
              />
              {q.kind === 'multiple' && (
                <label>
                  {t('editor.field.maxChoices')}
                  <input type="number" min={1} name={`questions.${i}.maxChoices`} value={q.maxChoices} onChange={(e) => setQuestion(i, (old) => ({ ...old, maxChoices: e.target.value }))} {...invalid(`questions.${i}.maxChoices`)} />
                  {explain(`questions.${i}.maxChoices`)}
                </label>
              )}
              {q.kind === 'budget' && (
                <label>
                  {t('editor.field.budget')}
                  <input type="text" inputMode="numeric" name={`questions.${i}.budget`} value={q.budget} onChange={(e) => setQuestion(i, (old) => ({ ...old, budget: e.target.value }))} {...invalid(`questions.${i}.budget`)} />
                  {explain(`questions.${i}.budget`)}
                </label>
              )}
              <span className="spacer" />
              {fields.questions.length > 1 && (
                <button type="button" onClick={() => set({ questions: fields.questions.filter((_, j) => j !== i) })}>
                  {t('editor.removeQuestion')}
                </button>
              )}
            </div>
            {bilingual(`questions.${i}.text`, t('editor.field.questionText'), q.text, (text) => setQuestion(i, (old) => ({ ...old, text })))}
            {q.options.length > 0 && (
              <table className="options-editor">
                <thead>
                  <tr>
                    <th>FR</th>
                    <th>EN</th>
                    {q.kind === 'budget' && <th>{t('editor.field.cost')}</th>}
                    <th>{t('editor.field.site')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {q.options.map((o, j) => (
                    <tr key={j}>
                      {(['fr', 'en'] as const).map((lang) => (
                        <td key={lang}>
                          <input
                            type="text"
                            lang={lang}
                            name={`questions.${i}.options.${j}.label.${lang}`}
                            aria-label={t('editor.optionLabel', { n: j + 1, language: t(`language.${lang}`) })}
                            value={o.label[lang]}
                            onChange={(e) => setOption(i, j, { label: { ...o.label, [lang]: e.target.value } })}
                            {...invalid(`questions.${i}.options.${j}.label.${lang}`)}
                          />
                          {explain(`questions.${i}.options.${j}.label.${lang}`)}
                        </td>
                      ))}
                      {q.kind === 'budget' && (
                        <td>
                          <input
                            type="text"
                            inputMode="numeric"
                            name={`questions.${i}.options.${j}.cost`}
                            aria-label={t('editor.optionCost', { n: j + 1 })}
                            value={o.cost}
                            onChange={(e) => setOption(i, j, { cost: e.target.value })}
                            {...invalid(`questions.${i}.options.${j}.cost`)}
                          />
                          {explain(`questions.${i}.options.${j}.cost`)}
                        </td>
                      )}
                      <td className="option-site">
                        {o.point ? (
                          <>
                            <span className="muted" data-testid={`site-${i}-${j}`}>
                              {o.point.lat.toFixed(4)}, {o.point.lon.toFixed(4)}
                            </span>{' '}
                            <button type="button" aria-label={t('editor.unplaceOption', { n: j + 1 })} onClick={() => setOption(i, j, { point: null })}>
                              ×
                            </button>
                          </>
                        ) : (
                          <button
                            type="button"
                            aria-pressed={placing?.question === i && placing.option === j}
                            aria-label={t('editor.placeOption', { n: j + 1 })}
                            onClick={() => setPlacing(placing?.question === i && placing.option === j ? null : { question: i, option: j })}
                          >
                            {t('editor.place')}
                          </button>
                        )}
                      </td>
                      <td>
                        <button type="button" aria-label={t('editor.removeOption', { n: j + 1 })} onClick={() => setQuestion(i, (old) => ({ ...old, options: old.options.filter((_, k) => k !== j) }))}>
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {explain(`questions.${i}.options`)}
            {explain(`questions.${i}`)}
            {q.kind !== 'scale' && q.kind !== 'text' && (
              <button type="button" onClick={() => setQuestion(i, (old) => ({ ...old, options: [...old.options, { ...newOption(old.options.length), id: nextId(old.options.map((o) => o.id), 'o') }] }))}>
                {t('editor.addOption')}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" onClick={() => set({ questions: [...fields.questions, { ...newQuestion(fields.questions.length), id: nextId(fields.questions.map((q) => q.id), 'q') }] })}>
          {t('editor.addQuestion')}
        </button>

        {errors.length > 0 && (
          <p className="error" role="alert">
            {t('editor.fix', { count: errors.length })}
          </p>
        )}
        <ProblemLine problem={problem} />
        <div className="editor-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t('editor.saving') : t('editor.save')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
      <aside className="editor-preview" aria-label={t('editor.preview')}>
        <div className="toolbar">
          <h3>{t('editor.preview')}</h3>
          <span className="spacer" />
          {(['fr', 'en'] as const).map((lang) => (
            <button key={lang} type="button" aria-pressed={previewLanguage === lang} onClick={() => setPreviewLanguage(lang)}>
              {lang.toUpperCase()}
            </button>
          ))}
        </div>
        <ConsultationPreview fields={fields} commune={commune} language={previewLanguage} photoUrl={(id) => `${client.baseUrl}/api/media/${id}/thumb`} />
      </aside>
    </div>
  );
}

/** The first of `o1`, `o2`, … not taken yet (options removed and added keep their ids unique). */
function nextId(taken: readonly string[], prefix: string): string {
  for (let n = 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}
