import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { logger } from '@palabre/observability';
import { type BackupSource, writeBackup } from './backup.js';
import type { Encryption } from './encryption.js';

export interface BackupSchedule {
  readonly dir: string;
  /** Backups kept; older ones are deleted after each new one. */
  readonly keep: number;
  readonly intervalMs: number;
  readonly encryption?: Encryption;
}

const NAME = /^palabre-(\d{8}T\d{6}Z)\.backup$/;
const nameAt = (at: Date): string => `palabre-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.backup`;
const timeOf = (stamp: string): number => Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);

/** The scheduled backups in `dir`, oldest first (their names carry the time they were taken). */
export async function scheduledBackups(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => NAME.test(n)).sort();
}

/**
 * Takes a backup when the newest in `dir` is older than the interval (or there is none), then keeps
 * the newest `keep`. Deciding from the files, not a timer, keeps the schedule across restarts.
 */
export async function backupIfDue(source: BackupSource, schedule: BackupSchedule, now: Date = new Date()): Promise<string | null> {
  await mkdir(schedule.dir, { recursive: true, mode: 0o700 });
  const existing = await scheduledBackups(schedule.dir);
  const newest = existing.at(-1);
  if (newest !== undefined && now.getTime() - timeOf(NAME.exec(newest)![1]!) < schedule.intervalMs) return null;
  const file = join(schedule.dir, nameAt(now));
  await writeBackup(source, { out: file, ...(schedule.encryption ? { encryption: schedule.encryption } : {}) });
  const all = await scheduledBackups(schedule.dir);
  for (const old of all.slice(0, Math.max(0, all.length - schedule.keep))) await rm(join(schedule.dir, old), { force: true });
  return file;
}

/** Checks every ten minutes (and at once) whether a backup is due; `stop` waits for one in progress. */
export function startBackupSchedule(source: BackupSource, schedule: BackupSchedule): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const check = () => {
    if (busy) return;
    busy = true;
    running = backupIfDue(source, schedule)
      .then((file) => void (file && logger.info('scheduled backup written', { file })))
      .catch((error: unknown) => logger.error('scheduled backup failed; trying again at the next check', { error: String(error) }))
      .finally(() => (busy = false));
  };
  check();
  const timer = setInterval(check, Math.min(schedule.intervalMs, 10 * 60_000));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Encryption for scheduled backups: a public key file (the private key stays off the server) or a passphrase file. */
export function scheduleEncryption(publicKeyFile: string | null, passphraseFile: string | null): Encryption | undefined {
  if (publicKeyFile) return { publicKey: createPublicKey(readFileSync(publicKeyFile)) };
  if (passphraseFile) return { passphrase: readFileSync(passphraseFile, 'utf8').replace(/\r?\n$/, '') };
  return undefined;
}
