/** One field of a resource someone else changed, as raw values (the panel words them). */
export interface FieldChange<F extends string> {
  readonly field: F;
  readonly before: string | number | null;
  readonly after: string | number | null;
}

/** The fields whose value differs, from [field, value acted on, fresh value] triples. */
export function changedFields<F extends string>(pairs: readonly (readonly [F, string | number | null, string | number | null])[]): FieldChange<F>[] {
  return pairs.filter(([, b, a]) => b !== a).map(([field, b, a]) => ({ field, before: b, after: a }));
}
