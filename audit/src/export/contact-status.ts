import type { Queryable } from '../log/tree-store.js';

/** What an export may say about a vault subject: never the data, only whether it still exists. */
export type ContactStatus = 'held' | 'erased' | 'unknown';

/** Statuses from `vault.subjects` (absent table, e.g. a log-only database: every subject 'unknown'). */
export class ContactStatuses {
  private readonly known = new Map<string, ContactStatus>();
  private vaultExists: boolean | null = null;

  constructor(private readonly db: Queryable) {}

  async learn(subjectIds: Iterable<string>): Promise<void> {
    const wanted = [...new Set(subjectIds)].filter((id) => !this.known.has(id));
    if (wanted.length === 0) return;
    if (this.vaultExists === null) {
      const { rows } = await this.db.query<{ exists: boolean }>(`SELECT to_regclass('vault.subjects') IS NOT NULL AS exists`);
      this.vaultExists = rows[0]!.exists;
    }
    if (!this.vaultExists) {
      for (const id of wanted) this.known.set(id, 'unknown');
      return;
    }
    const { rows } = await this.db.query<{ subject_id: string; erased: boolean }>(
      'SELECT subject_id, erased_at IS NOT NULL AS erased FROM vault.subjects WHERE subject_id = ANY($1::text[])',
      [wanted],
    );
    for (const id of wanted) this.known.set(id, 'unknown');
    for (const row of rows) this.known.set(row.subject_id, row.erased ? 'erased' : 'held');
  }

  of(subjectId: string | null | undefined): ContactStatus | null {
    return subjectId ? (this.known.get(subjectId) ?? 'unknown') : null;
  }
}
