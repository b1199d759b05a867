import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { listTreeHeads, openTransparencyLog, publicKeyFromPem, publicKeys, readTarEntries, rootHash, storedTreeSize, TarDamagedError, verifyTreeHead, withStoredNodes } from '@palabre/audit';
import { createPostgresEventStore, type EventStore, type PostgresServer, startPostgres } from '@palabre/event-store';
import { rebuild, startProjectors } from '@palabre/projections';
import { ensureDatabase, prepareSchemas } from '../platform/infrastructure.js';
import type { BackupHeader, BackupManifest } from './backup.js';
import { columnList, HEADER_ENTRY, KEY_FILES, MANIFEST_ENTRY, MAX_ENTRY_BYTES } from './contents.js';
import { decompress } from './compression.js';
import { type Decryption, ENCRYPTED_MAGIC, openEncryption } from './encryption.js';
import { BackupDamagedError, BackupKeyError, RestoreTargetError } from './errors.js';

export interface RestoreTarget {
  /** An empty database; when null, embedded PostgreSQL is started in `<dataDir>/pg` (dataDir empty). */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly mediaDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface RestoreOptions {
  readonly file: string;
  readonly decryption?: Decryption;
  readonly log?: (line: string) => void;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  readonly databaseUrl: string;
  readonly rebuiltEvents: number;
  /** The tree head of the backup, and whether the rebuilt tree has the same root at that size. */
  readonly treeHead: { readonly treeSize: number; readonly rootHash: string | null; readonly rebuiltRootHash: string | null; readonly equal: boolean };
  /** Signed tree heads whose root and signature hold over the rebuilt tree, and those that do not. */
  readonly signedHeads: { readonly verified: number; readonly failed: readonly number[] };
  readonly warnings: readonly string[];
}

// Tables that hold data as soon as a Palabre has run; any row in one means the target is in use.
const IN_USE = ['event_store.events', 'vault.subjects', 'auth.credentials', 'reference.communes', 'audit.tree_heads'];
const MEDIA_NAME = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[a-z0-9]+)*$/;

/**
 * Restores a backup into an empty target: the database part in one transaction, keys and media
 * staged beside their place and moved in once it commits; then read models and the transparency
 * log are rebuilt from the log and checked against the tree heads the backup carried.
 */
export async function restoreBackup(target: RestoreTarget, options: RestoreOptions): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const { start, decrypt } = await openBackupFile(options.file, options.decryption ?? {});
  await refuseUsedFiles(target);
  const createdDataDir = !existsSync(target.dataDir);
  let server: PostgresServer | null = null;
  let pool: pg.Pool | null = null;
  let store: EventStore | null = null;
  const staging = { keys: join(target.dataDir, `.restore-${randomBytes(6).toString('hex')}`), media: `${target.mediaDir}.restore-${randomBytes(6).toString('hex')}` };
  let committed = false;
  try {
    let databaseUrl = target.databaseUrl;
    if (databaseUrl === null) {
      log(`Starting embedded PostgreSQL in ${join(target.dataDir, 'pg')} …`);
      server = await startPostgres({ dataDir: join(target.dataDir, 'pg'), persistent: true });
      databaseUrl = await ensureDatabase(server, 'palabre');
    }
    pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    pool.on('error', () => {});
    await refuseUsedDatabase(pool);
    store = await createPostgresEventStore({ pool });
    await prepareSchemas(pool);

    let source: AsyncIterable<Buffer> = createReadStream(options.file, { start });
    if (decrypt) source = decrypt(source);
    const manifest = await loadArchive(pool, decompress(source), staging, log);
    committed = true;

    await placeFiles(target, staging, manifest);
    const warnings = keyWarnings(target, manifest);
    log(`Restored ${manifest.events} events, the vault, accounts, reference data, ${manifest.keys.length} keys and ${manifest.media.files} media files. Rebuilding the read models …`);
    const rebuilt = await rebuild(store, pool);
    log(`Read models rebuilt from ${rebuilt.events} events. Rebuilding the transparency log …`);
    await rebuildTransparencyLog(store, pool, target);
    const checks = await checkTreeHeads(pool, manifest);
    return { manifest, databaseUrl, rebuiltEvents: rebuilt.events, ...checks, warnings };
  } catch (error) {
    if (!committed) {
      await rm(staging.media, { recursive: true, force: true });
      if (server !== null) {
        await store?.close().catch(() => {});
        await pool?.end().catch(() => {});
        store = null;
        pool = null;
        await server.stop().catch(() => {});
        server = null;
        await rm(join(target.dataDir, 'pg'), { recursive: true, force: true });
      }
      // We made this directory (or its embedded server in it, empty before): nothing half-written stays behind.
      if (createdDataDir) await rm(target.dataDir, { recursive: true, force: true });
    }
    throw error;
  } finally {
    await rm(staging.keys, { recursive: true, force: true }).catch(() => {});
    await store?.close().catch(() => {});
    await pool?.end().catch(() => {});
    await server?.stop();
  }
}

/** Where the archive starts, and how to decrypt it; a wrong passphrase or key stops here. */
async function openBackupFile(file: string, decryption: Decryption) {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new RestoreTargetError(`Cannot read the backup ${file}: ${(error as Error).message}`);
  }
  const head = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  await handle.close();
  const first = head.subarray(0, bytesRead);
  if (!first.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC)) return { start: 0, decrypt: null };
  const { headerBytes, decrypt } = await openEncryption(first, decryption);
  return { start: headerBytes, decrypt };
}

async function refuseUsedFiles(target: RestoreTarget): Promise<void> {
  if (target.databaseUrl === null && existsSync(target.dataDir) && (await readdir(target.dataDir)).length > 0) {
    throw new RestoreTargetError(`The data directory ${target.dataDir} is not empty: restore into a new, empty directory (set PALABRE_DATA_DIR) so that nothing in use is overwritten.`);
  }
  for (const { file } of KEY_FILES) {
    if (existsSync(join(target.dataDir, file))) {
      throw new RestoreTargetError(`${join(target.dataDir, file)} already exists: restore into a data directory without keys (set PALABRE_DATA_DIR) so that no key is overwritten.`);
    }
  }
  if (existsSync(target.mediaDir) && (await readdir(target.mediaDir)).length > 0) {
    throw new RestoreTargetError(`The media directory ${target.mediaDir} is not empty: restore into an empty one (set MEDIA_DIR or PALABRE_DATA_DIR).`);
  }
}

async function refuseUsedDatabase(pool: pg.Pool): Promise<void> {
  for (const table of IN_USE) {
    const { rows } = await pool.query<{ used: boolean | null }>(`SELECT CASE WHEN to_regclass($1) IS NULL THEN false END AS used`, [table]);
    if (rows[0]!.used === false) continue;
    const { rows: any } = await pool.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (any.length > 0) {
      throw new RestoreTargetError(`The target database already holds Palabre data (${table} is not empty): restore into an empty database (e.g. createdb palabre_restored, then DATABASE_URL=…/palabre_restored).`);
    }
  }
}

/** Reads the archive into the database (one transaction, committed only if every part checks out) and the staging dirs. */
async function loadArchive(pool: pg.Pool, archive: AsyncIterable<Buffer>, staging: { keys: string; media: string }, log: (line: string) => void): Promise<BackupManifest> {
  const client = await pool.connect();
  let clean = false;
  try {
    await client.query('BEGIN');
    const seen = new Map<string, string>();
    let header: BackupHeader | null = null;
    let manifest: BackupManifest | null = null;
    let copying = null as { table: string; next: number; copy: CopyIn } | null;
    let tableIndex = 0;
    const endCopy = async () => {
      if (copying) await copying.copy.end();
      copying = null;
    };
    try {
      for await (const { name, data } of readTarEntries(archive, MAX_ENTRY_BYTES)) {
        if (manifest !== null) throw new BackupDamagedError(`entry ${name} follows the manifest`);
        const digest = createHash('sha256').update(data).digest('hex');
        if (name !== MANIFEST_ENTRY) seen.set(name, digest);
        if (header === null) {
          if (name !== HEADER_ENTRY) throw new BackupDamagedError(`it starts with ${name}, not ${HEADER_ENTRY}`);
          header = parseJson<BackupHeader>(data, name);
          if (header.format !== 'palabre-backup' || header.version !== 1) throw new BackupDamagedError(`${name} names an unknown format`);
          continue;
        }
        const db = /^db\/([a-z_]+\.[a-z_]+)\/(\d{6})$/.exec(name);
        if (db) {
          const [, table, index] = db as unknown as [string, string, string];
          if (copying?.table !== table) {
            await endCopy();
            const expected = header.tables[tableIndex++];
            if (expected?.name !== table) throw new BackupDamagedError(`its table ${table} comes out of order`);
            log(`  ${table} …`);
            copying = { table, next: 0, copy: new CopyIn(client, `COPY ${table} (${columnList(expected.columns)}) FROM STDIN`) };
          }
          if (Number(index) !== copying.next++) throw new BackupDamagedError(`part ${name} comes out of order`);
          await copying.copy.write(data);
          continue;
        }
        await endCopy();
        if (name.startsWith('keys/')) {
          const file = name.slice('keys/'.length);
          if (!KEY_FILES.some((k) => k.file === file)) throw new BackupDamagedError(`it holds an unknown key ${file}`);
          await mkdir(join(staging.keys, 'keys'), { recursive: true, mode: 0o700 });
          await writeFile(join(staging.keys, 'keys', file), data, { mode: 0o600 });
        } else if (name.startsWith('media/')) {
          const relative = name.slice('media/'.length);
          if (!MEDIA_NAME.test(relative)) throw new BackupDamagedError(`it holds a media file with an unexpected name, ${relative}`);
          await mkdir(join(staging.media, dirname(relative)), { recursive: true });
          await writeFile(join(staging.media, relative), data, { mode: 0o644 });
        } else if (name === MANIFEST_ENTRY) {
          manifest = parseJson<BackupManifest>(data, name);
        } else {
          throw new BackupDamagedError(`it holds an unknown entry ${name}`);
        }
      }
    } catch (error) {
      if (error instanceof TarDamagedError) throw new BackupDamagedError(error.message.toLowerCase());
      throw error;
    }
    await endCopy();
    if (header === null) throw new BackupDamagedError('it holds no backup');
    if (manifest === null) throw new BackupDamagedError('its manifest is missing (the file is truncated)');
    for (const [name, { sha256 }] of Object.entries(manifest.parts)) {
      const digest = seen.get(name);
      if (digest === undefined) throw new BackupDamagedError(`part ${name} is missing`);
      if (digest !== sha256) throw new BackupDamagedError(`part ${name} does not match its checksum`);
    }
    const extra = [...seen.keys()].find((name) => !(name in manifest!.parts));
    if (extra !== undefined) throw new BackupDamagedError(`part ${extra} is not in its manifest`);
    await client.query('COMMIT');
    clean = true;
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof BackupDamagedError || error instanceof BackupKeyError) throw error;
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code)) {
      throw new BackupDamagedError(`PostgreSQL refused its data (${error.message})`);
    }
    throw error;
  } finally {
    client.release(!clean);
  }
}

/** One COPY FROM STDIN, written part by part with backpressure; its error surfaces at the next write or at the end. */
class CopyIn {
  private readonly stream;
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  constructor(client: pg.PoolClient, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.done = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (error: Error) => {
        this.failure = error;
        reject(error);
      });
    });
    this.done.catch(() => {});
  }

  async write(data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done).off('error', done);
          resolve();
        };
        this.stream.on('drain', done).on('error', done);
      });
    }
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    this.stream.end();
    await this.done;
  }
}

function parseJson<T>(data: Buffer, name: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    throw new BackupDamagedError(`${name} is not readable`);
  }
}

/** Keys into the data dir (0600), media into place: only once the database part has committed. */
async function placeFiles(target: RestoreTarget, staging: { keys: string; media: string }, manifest: BackupManifest): Promise<void> {
  await mkdir(target.dataDir, { recursive: true, mode: 0o700 });
  for (const { file } of manifest.keys) {
    await rename(join(staging.keys, 'keys', file), join(target.dataDir, file));
    await chmod(join(target.dataDir, file), 0o600);
  }
  if (!existsSync(staging.media)) return;
  if (existsSync(target.mediaDir)) await rmdir(target.mediaDir); // checked empty before the restore began
  await rename(staging.media, target.mediaDir);
}

/** A key variable set here wins over the restored file: say so when it differs. */
function keyWarnings(target: RestoreTarget, manifest: BackupManifest): string[] {
  const env = target.env ?? process.env;
  const warnings: string[] = [];
  for (const { file } of manifest.keys) {
    const variable = KEY_FILES.find((k) => k.file === file)!.variable;
    if (env[variable] && env[variable]!.trim() !== '') {
      warnings.push(`${variable} is set in this environment and wins over the restored ${join(target.dataDir, file)}: unset it, or make sure it holds the backup's key.`);
    }
  }
  return warnings;
}

/** The transparency log's projector over the restored log, until it reaches the head. */
async function rebuildTransparencyLog(store: EventStore, pool: pg.Pool, target: RestoreTarget): Promise<void> {
  const env = target.env ?? process.env;
  const transparency = openTransparencyLog({ dataDir: target.dataDir, env: env.PALABRE_AUDIT_SIGNING_KEY ?? null });
  let failed: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  // Large batches, as a rebuild reads: the live default is sized for a few events at a time.
  const group = startProjectors(store, pool, [transparency.projector], { batchSize: 5000, onError: (error) => failed(error) });
  try {
    const head = await store.headPosition();
    if (head !== null) await Promise.race([group.waitFor(head), failure]);
  } finally {
    await group.stop();
  }
}

/** The backup's tree head, and every signed head, against the rebuilt tree. */
async function checkTreeHeads(pool: pg.Pool, manifest: BackupManifest) {
  const size = await storedTreeSize(pool);
  const rootAt = async (n: number) => (await withStoredNodes(pool, (nodes) => rootHash(nodes, n))).toString('base64');
  const expected = manifest.transparencyLog;
  const rebuiltRootHash = expected.treeSize === 0 ? null : expected.treeSize <= size ? await rootAt(expected.treeSize) : null;
  const keys = new Map((await publicKeys(pool)).map((k) => [k.keyId, publicKeyFromPem(k.publicKeyPem)]));
  const failed: number[] = [];
  let verified = 0;
  for (const head of await listTreeHeads(pool, { toSize: size })) {
    const key = keys.get(head.keyId);
    if (key && verifyTreeHead(head, key) && (await rootAt(head.treeSize)) === head.rootHash) verified++;
    else failed.push(head.treeSize);
  }
  return {
    treeHead: { treeSize: expected.treeSize, rootHash: expected.rootHash, rebuiltRootHash, equal: rebuiltRootHash === expected.rootHash },
    signedHeads: { verified, failed },
  };
}
