import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { latestTreeHead, rootHash, type SignedTreeHead, storedTreeSize, tarEnd, tarHeader, tarPadding, withStoredNodes } from '@palabre/audit';
import { SCHEMA_VERSION } from '@palabre/event-store';
import {
  BACKED_UP_TABLES,
  columnList,
  HEADER_ENTRY,
  KEY_FILES,
  keyEntry,
  MANIFEST_ENTRY,
  MAX_ENTRY_BYTES,
  mediaEntry,
  PART_BYTES,
  partName,
  tableColumns,
  unclassifiedTables,
} from './contents.js';
import { type Compression, compressor } from './compression.js';
import { type Encryption, encryptionFor } from './encryption.js';

/** Where the backup reads from: the database, and the data dir's keys and media. */
export interface BackupSource {
  readonly pool: pg.Pool;
  readonly dataDir: string;
  readonly mediaDir: string;
  /** Where key variables are read (PALABRE_MASTER_KEY …); `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface BackupOptions {
  readonly out: string;
  readonly encryption?: Encryption;
}

/** What the first entry says: enough for a restore to prepare before the data comes. */
export interface BackupHeader {
  readonly format: 'palabre-backup';
  readonly version: 1;
  /** When the database snapshot was taken. */
  readonly snapshotAt: string;
  readonly eventStoreSchemaVersion: number;
  readonly tables: readonly { readonly name: string; readonly columns: readonly string[] }[];
  /** The last event of the log in the snapshot, at its position on the source server. */
  readonly log: { readonly head: string | null };
  /** The transparency log as projected in the snapshot, and its latest signed head. */
  readonly transparencyLog: { readonly treeSize: number; readonly rootHash: string | null; readonly signedHead: SignedTreeHead | null };
}

export interface BackupManifest extends BackupHeader {
  readonly finishedAt: string;
  readonly compression: Compression;
  readonly encrypted: boolean;
  readonly events: number;
  readonly rows: Record<string, number>;
  readonly keys: readonly { readonly file: string; readonly from: 'environment' | 'file' }[];
  readonly media: { readonly files: number; readonly bytes: number };
  /** Every other entry of the archive with its size and SHA-256. */
  readonly parts: Record<string, { readonly bytes: number; readonly sha256: string }>;
}

/**
 * Writes a backup of a serving Palabre: the database part from one REPEATABLE READ snapshot, then
 * keys and media. Written beside `out` and renamed at the end, so `out` is a whole backup or nothing.
 */
export async function writeBackup(source: BackupSource, options: BackupOptions): Promise<{ manifest: BackupManifest; bytes: number }> {
  const partial = join(dirname(options.out), `.${basename(options.out)}.${randomBytes(6).toString('hex')}.partial`);
  const { kind, stream } = compressor();
  let manifest: BackupManifest | null = null;
  const entries = archive(source, (m) => (manifest = m), { compression: kind, encrypted: options.encryption !== undefined });
  try {
    const file = createWriteStream(partial, { mode: 0o600, flags: 'wx' });
    if (options.encryption) {
      const { header, encrypt } = await encryptionFor(options.encryption);
      file.write(header);
      await pipeline(Readable.from(entries), stream, encrypt, file);
    } else {
      await pipeline(Readable.from(entries), stream, file);
    }
    const handle = await open(partial, 'r');
    const { size } = await handle.stat();
    await handle.sync();
    await handle.close();
    await rename(partial, options.out);
    return { manifest: manifest!, bytes: size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function* archive(source: BackupSource, done: (manifest: BackupManifest) => void, how: { compression: Compression; encrypted: boolean }): AsyncGenerator<Buffer> {
  const parts: Record<string, { bytes: number; sha256: string }> = {};
  const entry = function* (name: string, data: Buffer, mode = 0o644): Generator<Buffer> {
    parts[name] = { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    yield tarHeader(name, data.length, Math.floor(Date.now() / 1000), mode);
    yield data;
    yield tarPadding(data.length);
  };
  const rows: Record<string, number> = {};
  let header: BackupHeader;
  const client = await source.pool.connect();
  let clean = false;
  try {
    // One snapshot for every table; read-only, it takes no transaction id and holds back no reader of the log.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const unknown = await unclassifiedTables(client);
    if (unknown.length > 0) throw new Error(`Backups do not know whether to carry ${unknown.join(', ')}: add each to BACKED_UP_TABLES or LEFT_OUT in backup/contents.ts`);
    header = await snapshotFacts(client);
    yield* entry(HEADER_ENTRY, Buffer.from(JSON.stringify(header, null, 2)));
    for (const table of BACKED_UP_TABLES) {
      const columns = header.tables.find((t) => t.name === table.name)!.columns;
      const copy = client.query(copyTo(`COPY (SELECT ${columnList(columns)} FROM ${table.name}${table.order ? ` ORDER BY ${table.order}` : ''}) TO STDOUT`));
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let index = 0;
      let count = 0;
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= PART_BYTES) {
          const data = Buffer.concat(pending);
          count += newlines(data);
          yield* entry(partName(table.name, index++), data);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes > 0 || index === 0) {
        const data = Buffer.concat(pending);
        count += newlines(data);
        yield* entry(partName(table.name, index), data);
      }
      rows[table.name] = count; // COPY's text format escapes newlines inside values: one per row
    }
    await client.query('COMMIT');
    clean = true;
  } finally {
    client.release(!clean);
  }
  const env = source.env ?? process.env;
  const keys: BackupManifest['keys'][number][] = [];
  for (const { file, variable } of KEY_FILES) {
    const fromEnv = env[variable];
    const path = join(source.dataDir, file);
    const text = fromEnv && fromEnv.trim() !== '' ? `${fromEnv.trim()}\n` : existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (text === null) continue;
    keys.push({ file, from: fromEnv && fromEnv.trim() !== '' ? 'environment' : 'file' });
    yield* entry(keyEntry(file), Buffer.from(text), 0o600);
  }
  // Media after the snapshot: files are named by their content's SHA-256 and written once, atomically,
  // so every photo the snapshot's events name is already there; a newer one is merely unreferenced.
  const media = { files: 0, bytes: 0 };
  for (const relative of await mediaFiles(source.mediaDir)) {
    const data = await readFile(join(source.mediaDir, relative));
    if (data.length > MAX_ENTRY_BYTES) throw new Error(`${relative} is larger than a backup entry may be (${MAX_ENTRY_BYTES} bytes)`);
    media.files++;
    media.bytes += data.length;
    yield* entry(mediaEntry(relative), data);
  }
  const manifest: BackupManifest = {
    ...header,
    finishedAt: new Date().toISOString(),
    compression: how.compression,
    encrypted: how.encrypted,
    events: rows['event_store.events'] ?? 0,
    rows,
    keys,
    media,
    parts,
  };
  yield* entry(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2)));
  yield tarEnd();
  done(manifest);
}

async function snapshotFacts(client: pg.ClientBase): Promise<BackupHeader> {
  const { rows: version } = await client.query<{ version: number }>('SELECT max(version)::integer AS version FROM event_store.schema_version');
  if (version[0]?.version !== SCHEMA_VERSION) throw new Error(`The log's schema is at version ${version[0]?.version}, this code at ${SCHEMA_VERSION}: start Palabre once to upgrade it, then back up`);
  const { rows: head } = await client.query<{ head: string }>(
    `SELECT transaction_id::text || '/' || sequence::text AS head FROM event_store.events ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
  );
  const treeSize = await storedTreeSize(client);
  const root = treeSize === 0 ? null : (await withStoredNodes(client, (nodes) => rootHash(nodes, treeSize))).toString('base64');
  const tables = [];
  for (const table of BACKED_UP_TABLES) tables.push({ name: table.name, columns: await tableColumns(client, table) });
  return {
    format: 'palabre-backup',
    version: 1,
    snapshotAt: new Date().toISOString(),
    eventStoreSchemaVersion: SCHEMA_VERSION,
    tables,
    log: { head: head[0]?.head ?? null },
    transparencyLog: { treeSize, rootHash: root, signedHead: await latestTreeHead(client) },
  };
}

/** Stored media, relative to the media dir; temporary files of a write in progress are skipped. */
async function mediaFiles(mediaDir: string): Promise<string[]> {
  if (!existsSync(mediaDir)) return [];
  const found = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  return found
    .filter((f) => f.isFile() && !f.name.startsWith('.'))
    .map((f) => join(f.parentPath, f.name).slice(mediaDir.length + 1))
    .sort();
}

function newlines(data: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) count++;
  return count;
}
