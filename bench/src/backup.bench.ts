/**
 * `npm run bench:backup`: `npm run backup` and `npm run restore`, run as an operator runs them, on
 * a Palabre with BENCH_BACKUP_EVENTS events (default 1,000,000 ticket events, 5 per ticket) and
 * BENCH_BACKUP_PHOTOS photos (default 10,000 small JPEGs, stored as the API stores uploads: WebP and
 * a thumbnail each). Measures a plain backup, one encrypted for an X25519 public key, and the restore
 * of the encrypted one into another database of the same server (load, read-model rebuild,
 * transparency log rebuild and check). BENCH_BACKUP_KEEP=1 keeps the files to inspect.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sharp from 'sharp';
import { openTransparencyLog, storedTreeSize } from '@palabre/audit';
import { prepareSchemas, processUpload } from '@palabre/command-api';
import { createPostgresEventStore } from '@palabre/event-store';
import { startProjector } from '@palabre/projections';
import { flush, settle, startBenchDatabase } from './database.js';
import { seedTicketLog } from './fixtures.js';
import { fmt, gaugeLine, printTable, speedGauge } from './stats.js';

const total = Number(process.env.BENCH_BACKUP_EVENTS ?? 1_000_000);
const photos = Number(process.env.BENCH_BACKUP_PHOTOS ?? 10_000);
const cliJs = fileURLToPath(new URL('../../command-api/dist/backup/cli.js', import.meta.url));

async function main() {
  const gaugeBefore = speedGauge();
  const database = await startBenchDatabase('backup');
  const dataDir = join(database.dir, 'data');
  const mediaDir = join(dataDir, 'media');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  try {
    const store = await createPostgresEventStore({ pool });
    await prepareSchemas(pool);
    console.log(`Events: ${total.toLocaleString('en-US')}, photos: ${photos.toLocaleString('en-US')}, cores: ${availableParallelism()}, ${process.version}`);

    let t0 = performance.now();
    await seedTicketLog(pool, total);
    console.log(`Seeded the log in ${fmt((performance.now() - t0) / 1000)} s`);
    t0 = performance.now();
    const transparency = openTransparencyLog({ dataDir, env: null, policy: { everyEvents: 10_000, everyMs: 3_600_000 } });
    const tree = startProjector(store, pool, transparency.projector, { batchSize: 5000, pollIntervalMs: 50 });
    await tree.waitFor(await store.headPosition());
    await tree.stop();
    if ((await storedTreeSize(pool)) !== total) throw new Error('the tree does not hold every event');
    console.log(`Built the transparency log in ${fmt((performance.now() - t0) / 1000)} s`);
    t0 = performance.now();
    const photoBytes = await storePhotos(mediaDir, photos);
    console.log(`Stored ${photos} photos (${fmt(photoBytes / 1e6)} MB with thumbnails) in ${fmt((performance.now() - t0) / 1000)} s`);
    await store.close();
    await settle(pool, 'event_store.events, audit.leaves, audit.nodes');

    const env = { ...process.env, DATABASE_URL: database.url, PALABRE_DATA_DIR: dataDir, MEDIA_DIR: mediaDir };
    const plainFile = join(database.dir, 'plain.backup');
    const plain = await run(['backup', '--out', plainFile], env);
    await flush(pool);

    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    writeFileSync(join(database.dir, 'backup.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(database.dir, 'backup.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const sealedFile = join(database.dir, 'sealed.backup');
    const sealed = await run(['backup', '--out', sealedFile, '--public-key', join(database.dir, 'backup.pub')], env);
    await flush(pool);

    await pool.query('CREATE DATABASE restored');
    const restoredDir = join(database.dir, 'restored');
    const restoredUrl = new URL(database.url);
    restoredUrl.pathname = '/restored';
    const restore = await run(['restore', sealedFile, '--key', join(database.dir, 'backup.key')], {
      ...process.env,
      DATABASE_URL: restoredUrl.toString(),
      PALABRE_DATA_DIR: restoredDir,
      MEDIA_DIR: join(restoredDir, 'media'),
    });
    if (!restore.output.includes("equals the backup's")) throw new Error(`the restore did not confirm the tree head:\n${restore.output}`);
    const loaded = restore.at('Rebuilding the read models');
    const rebuilt = restore.at('Rebuilding the transparency log');

    const gaugeAfter = speedGauge();
    const mb = (file: string) => fmt(statSync(file).size / 1e6);
    const rate = (seconds: number) => fmt(total / seconds, 0);
    printTable(`Palabre backup bench (${total.toLocaleString('en-US')} events, ${photos.toLocaleString('en-US')} photos)`, ['measure', 'seconds', 'events/s', 'size'], [
      ['npm run backup (one snapshot, zstd)', fmt(plain.seconds), rate(plain.seconds), `${mb(plainFile)} MB`],
      ['npm run backup --public-key (X25519 + AES-256-GCM)', fmt(sealed.seconds), rate(sealed.seconds), `${mb(sealedFile)} MB`],
      ['npm run restore of the encrypted backup, in all', fmt(restore.seconds), rate(restore.seconds), ''],
      ['  of which: log, vault, auth, keys, media loaded (one transaction)', fmt(loaded), rate(loaded), ''],
      ['  of which: read models rebuilt from the log', fmt(rebuilt - loaded), rate(rebuilt - loaded), ''],
      ['  of which: transparency log rebuilt and checked', fmt(restore.seconds - rebuilt), rate(restore.seconds - rebuilt), ''],
    ]);
    console.log(`Source: log ${fmt(await relationMb(pool, 'event_store.events'))} MB in PostgreSQL (with indexes), media ${fmt(photoBytes / 1e6)} MB.`);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    await pool.end();
    await database.stop({ keep: Boolean(process.env.BENCH_BACKUP_KEEP) });
    if (process.env.BENCH_BACKUP_KEEP) console.log(`Files kept in ${database.dir}`);
  }
}

/** Runs the command as `npm run backup|restore` does; records when each output line appeared. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; output: string; at(text: string): number }> {
  const started = performance.now();
  const lines: { text: string; at: number }[] = [];
  const child = spawn(process.execPath, [cliJs, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let pending = '';
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const text of parts) {
      lines.push({ text, at: (performance.now() - started) / 1000 });
      console.log(`  ${text}`);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`${args[0]} exited with ${code}`));
      const output = lines.map((l) => l.text).join('\n');
      resolve({
        seconds,
        output,
        at: (text) => {
          const line = lines.find((l) => l.text.includes(text));
          if (!line) throw new Error(`no line "${text}" in:\n${output}`);
          return line.at;
        },
      });
    });
  });
}

/** Small real JPEGs (800×600, smooth random colours, each different), stored through the API's upload path. */
async function storePhotos(mediaDir: string, count: number): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        next++;
        const jpeg = await sharp(randomBytes(16 * 12 * 3), { raw: { width: 16, height: 12, channels: 3 } })
          .resize(800, 600, { kernel: 'cubic' })
          .jpeg({ quality: 80 })
          .toBuffer();
        await processUpload(jpeg, { mediaDir });
      }
    }),
  );
  let bytes = 0;
  if (!existsSync(mediaDir)) return 0;
  for (const entry of readdirSync(mediaDir, { recursive: true, withFileTypes: true })) if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  return bytes;
}

async function relationMb(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>('SELECT pg_total_relation_size($1::regclass)::text AS bytes', [table]);
  return Number(rows[0]!.bytes) / 1e6;
}


main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
