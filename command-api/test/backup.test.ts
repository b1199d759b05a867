import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { readModelContents } from '@palabre/projections/testing/compare';
import { backupIfDue, BackupDamagedError, BackupKeyError, restoreBackup, RestoreTargetError, scheduledBackups, writeBackup, type Decryption, type Encryption } from '../src/backup/index.js';
import { loadConfig } from '../src/config.js';
import { solidImage } from '../src/media/testing/images.js';
import { startPalabre } from '../src/palabre.js';
import { citizen, Client, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
const work = mkdtempSync(join(tmpdir(), 'palabre-backup-test-'));
chmodSync(work, 0o755); // as root, embedded PostgreSQL runs as postgres, which must reach the restored data dir
const source = () => ({ pool: api.palabre.infra.pool, dataDir: api.palabre.infra.config.dataDir, mediaDir: api.palabre.infra.config.mediaDir, env: {} });
let plain: string; // a backup of the quiet server, for the failure cases

beforeAll(async () => {
  // Eight citizens from one address would hit the per-address limits, which are not what is tested here.
  api = await startTestPalabre({ env: { PALABRE_RATE_LIMITS: 'off' } });
});
afterAll(async () => {
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

/** An empty target: a fresh database on the test server and a data dir that does not exist yet. */
async function emptyTarget(name: string) {
  const dataDir = join(work, name);
  return { databaseUrl: await createTestDatabase('restore'), dataDir, mediaDir: join(dataDir, 'media'), env: {} };
}

async function restore(file: string, name: string, decryption: Decryption = {}) {
  const target = await emptyTarget(name);
  return { target, result: await restoreBackup(target, { file, decryption }) };
}

/** The tickets read model without positions: a restored log numbers its events again, in the same order. */
async function tickets(databaseUrl: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = (await readModelContents(client, 'read')).tickets as Record<string, unknown>[];
    return rows.map(({ position: _position, ...rest }) => rest);
  } finally {
    await client.end();
  }
}

async function rowCount(databaseUrl: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`)).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('the restore drill', () => {
  it('backs up while reports pour in, restores elsewhere with every earlier report, the same tickets and the same tree head', async () => {
    const reporter = await citizen(api);
    const photo = (await reporter.upload(await solidImage(640, 480, 'png'), 'bac.png', 'image/png')).body.mediaId as string;
    const first = await reporter.report({ mediaIds: [photo], contact: { name: 'Awa N.', phone: '+237 690 00 00 00' } });
    expect(first.status).toBe(201);

    // Eight citizens report as fast as they can until the backup is written.
    const acknowledged: { id: string; at: number }[] = [];
    let writing = true;
    const citizens = await Promise.all(Array.from({ length: 8 }, () => citizen(api)));
    const load = citizens.map(async (c) => {
      while (writing) {
        const reply = await c.report();
        expect(reply.status).toBe(201);
        acknowledged.push({ id: reply.body.id, at: performance.now() });
      }
    });
    await expect.poll(() => acknowledged.length).toBeGreaterThanOrEqual(40);
    const started = performance.now();
    const file = join(work, 'under-load.backup');
    const { manifest } = await writeBackup(source(), { out: file }).finally(() => (writing = false));
    await Promise.all(load);
    expect(manifest.media.files).toBe(2); // the photo and its thumbnail
    expect(manifest.keys.map((k) => k.file).sort()).toEqual(['audit-signing.key', 'citizen.key', 'jwt.key', 'master.key']);

    const { target, result } = await restore(file, 'drill');
    expect(result.treeHead.equal).toBe(true);
    expect(result.treeHead.treeSize).toBeGreaterThan(0);
    expect(result.signedHeads.failed).toEqual([]);
    expect(result.signedHeads.verified).toBeGreaterThan(0);
    expect(result.rebuiltEvents).toBe(manifest.events);

    // Every report answered 201 before the backup began is in the restored read model.
    const restored = await tickets(target.databaseUrl);
    const restoredIds = new Set(restored.map((t) => t.id));
    for (const { id } of acknowledged.filter((a) => a.at < started)) expect(restoredIds.has(id), id).toBe(true);
    expect(restoredIds.has(first.body.id)).toBe(true);
    // The restored tickets are the source's tickets, row for row (reports only create tickets here).
    const live = (await tickets(api.palabre.infra.databaseUrl)).filter((t) => restoredIds.has(t.id));
    expect(restored).toEqual(live);
    expect(readFileSync(join(target.mediaDir, photo.slice(0, 2), photo.slice(2, 4), `${photo}.webp`))).toEqual(
      readFileSync(join(api.palabre.infra.config.mediaDir, photo.slice(0, 2), photo.slice(2, 4), `${photo}.webp`)),
    );
    expect(statSync(join(target.dataDir, 'master.key')).mode & 0o777).toBe(0o600);

    // The restored Palabre serves: staff sign in (auth), the reporter's contact opens (vault and master key), the photo shows.
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PALABRE_DATA_DIR: target.dataDir, PALABRE_DEMO_PASSWORD: api.demoPassword, LOG_LEVEL: 'silent' });
    const second = await startPalabre(config, { databaseUrl: target.databaseUrl, demoTickets: false });
    try {
      const dispatcher = await new Client(second.url).login('dispatcher.soa', api.demoPassword);
      const contact = await dispatcher.get(`/api/tickets/${first.body.id}/contact`, { 'x-access-purpose': 'restore drill' });
      expect(contact.status, JSON.stringify(contact.body)).toBe(200);
      expect(JSON.stringify(contact.body)).toContain('Awa N.');
      expect((await fetch(`${second.url}/api/media/${photo}`)).status).toBe(200);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('restores into an empty embedded data dir and refuses a data dir or database already in use', async () => {
    plain = join(work, 'quiet.backup');
    await writeBackup(source(), { out: plain });
    const dataDir = join(work, 'embedded');
    const result = await restoreBackup({ databaseUrl: null, dataDir, mediaDir: join(dataDir, 'media'), env: {} }, { file: plain });
    expect(result.treeHead.equal).toBe(true);
    expect(existsSync(join(dataDir, 'pg'))).toBe(true);

    await expect(restoreBackup({ databaseUrl: null, dataDir, mediaDir: join(dataDir, 'media'), env: {} }, { file: plain })).rejects.toThrow(
      new RestoreTargetError(`The data directory ${dataDir} is not empty: restore into a new, empty directory (set PALABRE_DATA_DIR) so that nothing in use is overwritten.`),
    );
    const used = { databaseUrl: api.palabre.infra.databaseUrl, dataDir: join(work, 'no-keys'), mediaDir: join(work, 'no-keys', 'media'), env: {} };
    await expect(restoreBackup(used, { file: plain })).rejects.toThrow(/^The target database already holds Palabre data \(event_store\.events is not empty\)/);
    expect(existsSync(used.dataDir)).toBe(false);
  });
});

describe('the commands', () => {
  const cli = fileURLToPath(new URL('../dist/backup/cli.js', import.meta.url));
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(() => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'pipe' });
  });

  // Three node processes, each connecting and deriving the passphrase's key: slow on a busy machine.
  it('npm run backup and npm run restore say what they did, and refuse a used target in one sentence', { timeout: 120_000 }, async () => {
    const file = join(work, 'by-command.backup');
    const from = { DATABASE_URL: api.palabre.infra.databaseUrl, PALABRE_DATA_DIR: api.palabre.infra.config.dataDir };
    const backup = await run(['backup', '--out', file, '--encrypt'], { ...from, PALABRE_BACKUP_PASSPHRASE: 'correct horse battery' });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backup written to ${file} in [0-9.]+ s: [0-9.]+ MB \\(zstd, encrypted\\)\\.`));

    const used = await run(['restore', file], { ...from, PALABRE_DATA_DIR: join(work, 'cli-used'), PALABRE_BACKUP_PASSPHRASE: 'correct horse battery' });
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/^The target database already holds Palabre data \(event_store\.events is not empty\): restore into an empty database \(e\.g\. createdb palabre_restored, then DATABASE_URL=…\/palabre_restored\)\.\n$/);

    const target = await emptyTarget('cli-restored');
    const restored = await run(['restore', file], { DATABASE_URL: target.databaseUrl, PALABRE_DATA_DIR: target.dataDir, PALABRE_BACKUP_PASSPHRASE: 'correct horse battery' });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Transparency log: the rebuilt tree head at \d+ leaves equals the backup's \(root [A-Za-z0-9+/=]{44}\)\./);
  });
});

describe('encrypted backups', () => {
  const cases: [string, () => { encryption: Encryption; decryption: Decryption }][] = [
    ['a passphrase', () => ({ encryption: { passphrase: 'correct horse battery' }, decryption: { passphrase: 'correct horse battery' } })],
    ['an X25519 public key', () => {
      const { publicKey, privateKey } = generateKeyPairSync('x25519');
      return { encryption: { publicKey }, decryption: { privateKey } };
    }],
    ['an RSA public key', () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
      return { encryption: { publicKey }, decryption: { privateKey } };
    }],
  ];
  for (const [what, keys] of cases) {
    it(`restores a backup encrypted with ${what}`, async () => {
      const { encryption, decryption } = keys();
      const file = join(work, `encrypted-${what.replace(/\W+/g, '-')}.backup`);
      const { manifest } = await writeBackup(source(), { out: file, encryption });
      expect(manifest.encrypted).toBe(true);
      expect(readFileSync(file).includes(Buffer.from('event_store.events'))).toBe(false);
      const { result } = await restore(file, `encrypted-${what.replace(/\W+/g, '-')}`, decryption);
      expect(result.treeHead.equal).toBe(true);
      expect(result.manifest.events).toBe(manifest.events);
    });
  }

  it('refuses a wrong passphrase or key with one sentence, before touching the target', async () => {
    const file = join(work, 'secret.backup');
    await writeBackup(source(), { out: file, encryption: { passphrase: 'correct horse battery' } });
    const target = await emptyTarget('wrong-passphrase');
    await expect(restoreBackup(target, { file, decryption: { passphrase: 'wrong horse battery' } })).rejects.toThrow(new BackupKeyError('The passphrase does not open this backup.'));
    await expect(restoreBackup(target, { file })).rejects.toThrow(/^This backup is encrypted with a passphrase: give it with PALABRE_BACKUP_PASSPHRASE or --passphrase-file\.$/);
    const other = generateKeyPairSync('x25519');
    const forKey = join(work, 'for-key.backup');
    await writeBackup(source(), { out: forKey, encryption: { publicKey: generateKeyPairSync('x25519').publicKey } });
    await expect(restoreBackup(target, { file: forKey, decryption: { privateKey: other.privateKey } })).rejects.toThrow(/^This backup is encrypted for the key [0-9a-f]{16}; the key given is [0-9a-f]{16}\.$/);
    expect(existsSync(target.dataDir)).toBe(false);
    expect(await rowCount(target.databaseUrl, 'pg_namespace WHERE nspname = \'event_store\'')).toBe(0);
  });
});

describe('a damaged backup', () => {
  /** Restoring it fails with a sentence, and the target is left as empty as it was. */
  async function expectRefused(file: string, name: string, decryption: Decryption = {}) {
    const target = await emptyTarget(name);
    const error = await restoreBackup(target, { file, decryption }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(BackupDamagedError);
    expect((error as Error).message).toMatch(/^The backup file is damaged or incomplete: .+\. Nothing was restored\.$/);
    expect(await rowCount(target.databaseUrl, 'event_store.events')).toBe(0);
    expect(await rowCount(target.databaseUrl, 'vault.subjects')).toBe(0);
    expect(existsSync(join(target.dataDir, 'master.key'))).toBe(false);
    expect(existsSync(target.mediaDir)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes('.restore-'))).toEqual([]);
    return (error as Error).message;
  }

  it('refuses a truncated file', async () => {
    const bytes = readFileSync(plain);
    const file = join(work, 'truncated.backup');
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    await expectRefused(file, 'truncated');
  });

  it('refuses a file with one byte changed', async () => {
    const bytes = Buffer.from(readFileSync(plain));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    const file = join(work, 'flipped.backup');
    writeFileSync(file, bytes);
    await expectRefused(file, 'flipped');
  });

  it('refuses an encrypted file cut short or altered', async () => {
    const file = join(work, 'sealed.backup');
    await writeBackup(source(), { out: file, encryption: { passphrase: 'correct horse battery' } });
    const bytes = readFileSync(file);
    writeFileSync(join(work, 'sealed-cut.backup'), bytes.subarray(0, bytes.length - 100));
    expect(await expectRefused(join(work, 'sealed-cut.backup'), 'sealed-cut', { passphrase: 'correct horse battery' })).toMatch(/authentication|truncated/);
    const altered = Buffer.from(bytes);
    altered[altered.length - 40]! ^= 1;
    writeFileSync(join(work, 'sealed-altered.backup'), altered);
    expect(await expectRefused(join(work, 'sealed-altered.backup'), 'sealed-altered', { passphrase: 'correct horse battery' })).toMatch(/fails its authentication/);
  });
});

describe('scheduled backups', () => {
  it('refuses a bad setting with the variable and the reason', () => {
    expect(() => loadConfig({ PALABRE_BACKUP_DIR: '/srv/backups', PALABRE_BACKUP_KEEP: '0' })).toThrow(/PALABRE_BACKUP_KEEP: Number must be greater than or equal to 1|PALABRE_BACKUP_KEEP: Too small/);
  });

  it('takes one when the newest is older than the interval and keeps the newest N', async () => {
    const dir = join(work, 'scheduled');
    const schedule = { dir, keep: 2, intervalMs: 24 * 3_600_000 };
    const day = (n: number, minutes = 0) => new Date(Date.UTC(2026, 11, 1 + n, 2, minutes));
    expect(await backupIfDue(source(), schedule, day(0))).toBe(join(dir, 'palabre-20261201T020000Z.backup'));
    expect(await backupIfDue(source(), schedule, day(0, 30))).toBeNull(); // a restart half an hour later takes none
    expect(await backupIfDue(source(), schedule, day(1))).not.toBeNull();
    expect(await backupIfDue(source(), schedule, day(2))).not.toBeNull();
    expect(await scheduledBackups(dir)).toEqual(['palabre-20261202T020000Z.backup', 'palabre-20261203T020000Z.backup']);
    expect(statSync(join(dir, 'palabre-20261203T020000Z.backup')).mode & 0o777).toBe(0o600);
  });

  it('are taken by the API at start when PALABRE_BACKUP_DIR is set and none is recent', async () => {
    const dir = join(work, 'at-start');
    const { publicKey } = generateKeyPairSync('x25519');
    writeFileSync(join(work, 'schedule.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const scheduled = await startTestPalabre({ env: { PALABRE_BACKUP_DIR: dir, PALABRE_BACKUP_KEEP: '3', PALABRE_BACKUP_PUBLIC_KEY: join(work, 'schedule.pub') } });
    try {
      await expect.poll(() => scheduledBackups(dir)).toHaveLength(1);
      const [file] = await scheduledBackups(dir);
      expect(readFileSync(join(dir, file!)).subarray(0, 25).toString()).toBe('PALABRE-BACKUP-ENCRYPTED\n');
    } finally {
      await scheduled.close();
    }
  });
});
