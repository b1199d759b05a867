import type pg from 'pg';

/**
 * What a backup carries: everything that cannot be rebuilt. Read models, the transparency log's
 * leaves and nodes are rebuilt from the log on restore; its signed tree heads cannot be (they
 * carry the time they were signed), so they travel, and the rebuilt tree must match them.
 */
export interface BackedUpTable {
  readonly name: string;
  /** Columns to carry; all of the table's when absent. */
  readonly columns?: readonly string[];
  readonly order?: string;
}

export const BACKED_UP_TABLES: readonly BackedUpTable[] = [
  // Positions are left behind: the restored server numbers the events again, in the same order.
  {
    name: 'event_store.events',
    columns: ['stream_id', 'revision', 'event_id', 'type', 'data', 'metadata', 'recorded_at', 'canonical'],
    order: 'transaction_id, sequence',
  },
  { name: 'vault.subjects' },
  { name: 'vault.records' },
  { name: 'auth.credentials' },
  { name: 'auth.refresh_tokens' },
  // Who owns a verified number and which devices were recovered into whom: not in the log, not rebuildable.
  { name: 'auth.phone_owners' },
  { name: 'auth.citizen_links' },
  { name: 'auth.identity_documents' },
  { name: 'auth.identity_conflicts' },
  { name: 'auth.census' },
  { name: 'auth.census_imports' },
  { name: 'reference.communes' },
  { name: 'reference.quartiers' },
  { name: 'reference.categories' },
  { name: 'reference.teams' },
  { name: 'audit.signing_keys' },
  { name: 'audit.tree_heads' },
];

/** Tables of the same schemas a backup leaves out on purpose: rebuilt, or made again by the code. */
// Codes sent by SMS live ten minutes: a restored server asks for new ones.
const LEFT_OUT = new Set(['event_store.schema_version', 'audit.leaves', 'audit.nodes', 'audit.export_jobs', 'auth.phone_codes']);
const SCHEMAS = ['event_store', 'vault', 'auth', 'reference', 'audit'];

/** The secrets, each from its environment variable when set, else its file in the data dir. */
export const KEY_FILES = [
  { file: 'master.key', variable: 'PALABRE_MASTER_KEY' },
  { file: 'jwt.key', variable: 'PALABRE_JWT_SECRET' },
  { file: 'citizen.key', variable: 'PALABRE_CITIZEN_SECRET' },
  { file: 'audit-signing.key', variable: 'PALABRE_AUDIT_SIGNING_KEY' },
] as const;

/** A new table must say whether backups carry it: a backup refuses to silently leave one behind. */
export async function unclassifiedTables(db: pg.ClientBase): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_schema = ANY($1::text[]) AND table_type = 'BASE TABLE' ORDER BY 1`,
    [SCHEMAS],
  );
  const carried = new Set(BACKED_UP_TABLES.map((t) => t.name));
  return rows.map((r) => r.name).filter((name) => !carried.has(name) && !LEFT_OUT.has(name));
}

/** A table's columns in their order, without generated ones. */
export async function tableColumns(db: pg.ClientBase, table: BackedUpTable): Promise<string[]> {
  if (table.columns) return [...table.columns];
  const [schema, name] = table.name.split('.');
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' AND (is_identity = 'NO' OR identity_generation = 'BY DEFAULT')
      ORDER BY ordinal_position`,
    [schema, name],
  );
  if (rows.length === 0) throw new Error(`Table ${table.name} is missing`);
  return rows.map((r) => r.column_name);
}

/** `"col", "col"`: names come from the catalog or the list above, quoted all the same. */
export const columnList = (columns: readonly string[]): string => columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');

/** Archive entry names. */
export const HEADER_ENTRY = 'backup.json';
export const MANIFEST_ENTRY = 'manifest.json';
export const partName = (table: string, index: number): string => `db/${table}/${String(index).padStart(6, '0')}`;
export const keyEntry = (file: string): string => `keys/${file}`;
export const mediaEntry = (relative: string): string => `media/${relative}`;

/** A COPY part or a media file: bounded so a reader holds one entry in memory. */
export const PART_BYTES = 8 << 20;
export const MAX_ENTRY_BYTES = 64 << 20;
