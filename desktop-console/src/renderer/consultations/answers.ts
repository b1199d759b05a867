import type { Answer, Answers, Question } from '@palabre/domain';

/** What an agent ticked on the paper ballot, per question, before it becomes the ballot's answers. */
export type Marks = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * The answers a ballot carries, from the marks: a question left blank is left out (the server says
 * which answer is missing), free text only when something was written.
 */
export function answersFrom(questions: readonly Question[], marks: Marks): Answers {
  const answers: Record<string, Answer> = {};
  for (const q of questions) {
    const mark = marks[q.id];
    if (mark === undefined) continue;
    if (q.kind === 'text') {
      if (typeof mark === 'string' && mark.trim() !== '') answers[q.id] = mark.trim();
    } else if (q.kind === 'multiple' || q.kind === 'budget') answers[q.id] = Array.isArray(mark) ? [...mark] : [];
    else answers[q.id] = mark as string | number;
  }
  return answers;
}

/** Ticks or unticks an option of a multiple-choice or budget question. */
export function toggled(mark: Marks[string], optionId: string, on: boolean): readonly string[] {
  const chosen = Array.isArray(mark) ? (mark as readonly string[]) : [];
  return on ? (chosen.includes(optionId) ? chosen : [...chosen, optionId]) : chosen.filter((id) => id !== optionId);
}
