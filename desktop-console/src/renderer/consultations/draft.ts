import { type IdentityLevel, type LocalizedText, type Question, type QuestionKind, questionSchema, type ResultsVisibility } from '@palabre/domain';
import type { ConsultationDetail, ConsultationDraft } from './consultations-api.js';

/** Where an option is, placed on the editor's map (a proposed site); null when not placed. */
export type OptionPoint = { readonly lat: number; readonly lon: number } | null;

/** An option as the editor holds it: the cost as typed, its place on the map if any. */
export interface OptionFields {
  readonly id: string;
  readonly label: LocalizedText;
  readonly cost: string;
  readonly point: OptionPoint;
}

/** A question as the editor holds it: every kind's fields, the numbers as typed. */
export interface QuestionFields {
  readonly id: string;
  readonly kind: QuestionKind;
  readonly text: LocalizedText;
  readonly options: readonly OptionFields[];
  readonly maxChoices: string;
  readonly budget: string;
}

/** The editor's form: French and English side by side, times as `datetime-local` values (the console's clock). */
export interface DraftFields {
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  /** Empty: the whole commune. */
  readonly quartierIds: readonly string[];
  /** Photos from the media library, in the order residents see them. */
  readonly mediaIds: readonly string[];
  readonly requiredLevel: IdentityLevel;
  readonly adultsOnly: boolean;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly resultsVisibility: ResultsVisibility;
  readonly questions: readonly QuestionFields[];
}

/** A field the organiser must fix, by its path in the form (`title.en`, `questions.0.options.1.label.fr`), and why (a message key). */
export interface FieldError {
  readonly field: string;
  readonly reason: DraftProblem;
}

export type DraftProblem = 'required' | 'closesBeforeOpens' | 'number' | 'tooFewOptions' | 'duplicateId' | 'maxChoices' | 'invalid';

const empty: LocalizedText = { fr: '', en: '' };

/** `YYYY-MM-DDTHH:mm` in the console's local time, as a `datetime-local` input shows it. */
export function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

export function newQuestion(index: number, kind: QuestionKind = 'single'): QuestionFields {
  const options = kind === 'scale' || kind === 'text' ? [] : [newOption(0), newOption(1)];
  return { id: `q${index + 1}`, kind, text: empty, options, maxChoices: kind === 'multiple' ? '2' : '', budget: '' };
}

export function newOption(index: number): OptionFields {
  return { id: `o${index + 1}`, label: empty, cost: '', point: null };
}

/** A new consultation: the whole commune, phone-verified residents, open from now (it opens by hand) for two weeks. */
export function newDraft(now: Date): DraftFields {
  const opens = new Date(now);
  opens.setSeconds(0, 0);
  const closes = new Date(opens.getTime() + 14 * 86_400_000);
  return {
    title: empty,
    description: empty,
    quartierIds: [],
    mediaIds: [],
    requiredLevel: 'phone',
    adultsOnly: false,
    opensAt: localInputValue(opens),
    closesAt: localInputValue(closes),
    resultsVisibility: 'at_close',
    questions: [newQuestion(0)],
  };
}

/** A draft being revised, as the form holds it (amounts as digits, times in the console's clock). */
export function fieldsFrom(consultation: ConsultationDetail): DraftFields {
  return {
    title: consultation.title,
    description: consultation.description ?? empty,
    quartierIds: consultation.quartierIds ?? [],
    mediaIds: consultation.mediaIds,
    requiredLevel: consultation.requiredLevel,
    adultsOnly: consultation.adultsOnly,
    opensAt: localInputValue(new Date(consultation.opensAt)),
    closesAt: localInputValue(new Date(consultation.closesAt)),
    resultsVisibility: consultation.resultsVisibility,
    questions: consultation.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      text: q.text,
      options: 'options' in q ? q.options.map((o) => ({ id: o.id, label: o.label, cost: o.cost === undefined ? '' : String(o.cost), point: o.point ?? null })) : [],
      maxChoices: q.kind === 'multiple' ? String(q.maxChoices) : '',
      budget: q.kind === 'budget' ? String(q.budget) : '',
    })),
  };
}

/** Changes a question's kind, keeping what still applies (its text, its options where the new kind has some). */
export function withKind(question: QuestionFields, kind: QuestionKind): QuestionFields {
  const needsOptions = kind === 'single' || kind === 'multiple' || kind === 'budget';
  const options = needsOptions ? (question.options.length >= 2 ? question.options : [newOption(0), newOption(1)]) : [];
  return { ...question, kind, options, maxChoices: kind === 'multiple' ? question.maxChoices || '2' : '', budget: kind === 'budget' ? question.budget : '' };
}

const filled = (text: LocalizedText) => text.fr.trim() !== '' && text.en.trim() !== '';
const wholeNumber = (typed: string) => (/^\s*\d+\s*$/.test(typed.replace(/[\s\u202f\u00a0]/g, '')) ? Number(typed.replace(/\D/g, '')) : null);

function missingText(field: string, text: LocalizedText, errors: FieldError[]): void {
  if (text.fr.trim() === '') errors.push({ field: `${field}.fr`, reason: 'required' });
  if (text.en.trim() === '') errors.push({ field: `${field}.en`, reason: 'required' });
}

/**
 * The form as `POST /api/consultations` takes it, or every field to fix. The same rules as the
 * server's (the domain's question schema), said next to the field before anything is sent.
 */
export function toDraft(fields: DraftFields, communeId: string): { draft: ConsultationDraft; errors: [] } | { draft: null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  missingText('title', fields.title, errors);
  // The description is optional, but a resident reads it in either language: both or neither.
  const described = fields.description.fr.trim() !== '' || fields.description.en.trim() !== '';
  if (described) missingText('description', fields.description, errors);
  const opens = new Date(fields.opensAt);
  const closes = new Date(fields.closesAt);
  if (Number.isNaN(opens.getTime())) errors.push({ field: 'opensAt', reason: 'required' });
  if (Number.isNaN(closes.getTime())) errors.push({ field: 'closesAt', reason: 'required' });
  else if (!Number.isNaN(opens.getTime()) && closes <= opens) errors.push({ field: 'closesAt', reason: 'closesBeforeOpens' });

  const questions: Question[] = [];
  const questionIds = new Set<string>();
  fields.questions.forEach((q, i) => {
    const at = `questions.${i}`;
    if (questionIds.has(q.id)) errors.push({ field: `${at}.id`, reason: 'duplicateId' });
    questionIds.add(q.id);
    missingText(`${at}.text`, q.text, errors);
    const optionIds = new Set<string>();
    const options = q.options.map((o, j) => {
      if (!filled(o.label)) missingText(`${at}.options.${j}.label`, o.label, errors);
      if (optionIds.has(o.id)) errors.push({ field: `${at}.options.${j}.id`, reason: 'duplicateId' });
      optionIds.add(o.id);
      const cost = q.kind === 'budget' ? wholeNumber(o.cost) : null;
      if (q.kind === 'budget' && cost === null) errors.push({ field: `${at}.options.${j}.cost`, reason: 'number' });
      return { id: o.id, label: { fr: o.label.fr.trim(), en: o.label.en.trim() }, ...(cost !== null ? { cost } : {}), ...(o.point ? { point: o.point } : {}) };
    });
    if ((q.kind === 'single' || q.kind === 'multiple') && options.length < 2) errors.push({ field: `${at}.options`, reason: 'tooFewOptions' });
    if (q.kind === 'budget' && options.length < 1) errors.push({ field: `${at}.options`, reason: 'tooFewOptions' });
    const text = { fr: q.text.fr.trim(), en: q.text.en.trim() };
    let question: unknown;
    if (q.kind === 'single') question = { id: q.id, kind: q.kind, text, options };
    else if (q.kind === 'multiple') {
      const maxChoices = wholeNumber(q.maxChoices);
      if (maxChoices === null || maxChoices < 1 || maxChoices > options.length) errors.push({ field: `${at}.maxChoices`, reason: 'maxChoices' });
      question = { id: q.id, kind: q.kind, text, options, maxChoices: maxChoices ?? 1 };
    } else if (q.kind === 'budget') {
      const budget = wholeNumber(q.budget);
      if (budget === null || budget < 1) errors.push({ field: `${at}.budget`, reason: 'number' });
      question = { id: q.id, kind: q.kind, text, options, budget: budget ?? 1 };
    } else question = { id: q.id, kind: q.kind, text };
    const parsed = questionSchema.safeParse(question);
    if (parsed.success) questions.push(parsed.data);
    else if (!errors.some((e) => e.field.startsWith(`${at}.`) || e.field === at)) errors.push({ field: at, reason: 'invalid' });
  });
  if (errors.length > 0) return { draft: null, errors };
  const draft: ConsultationDraft = {
    communeId,
    ...(fields.quartierIds.length > 0 ? { quartierIds: [...fields.quartierIds] } : {}),
    ...(fields.mediaIds.length > 0 ? { mediaIds: [...fields.mediaIds] } : {}),
    title: { fr: fields.title.fr.trim(), en: fields.title.en.trim() },
    ...(described ? { description: { fr: fields.description.fr.trim(), en: fields.description.en.trim() } } : {}),
    requiredLevel: fields.requiredLevel,
    ...(fields.adultsOnly ? { adultsOnly: true } : {}),
    opensAt: opens.toISOString(),
    closesAt: closes.toISOString(),
    resultsVisibility: fields.resultsVisibility,
    questions,
  };
  return { draft, errors: [] };
}
