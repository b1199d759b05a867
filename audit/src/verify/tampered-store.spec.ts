import { execFile, execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarDirectory } from '../bundle/tar.js';
import { exportBundle } from '../export/export-bundle.js';
import { normaliseScope } from '../export/scope.js';
import { checkLogAgainstTree } from '../log/self-check.js';
import { tempDir } from '../testing/bundles.js';
import { openAuditFixture, tellTicket, type AuditFixture } from '../testing/log.js';
import { verifyBundle } from './verify-bundle.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = `${root}audit/dist/cli/main.js`;

/** Runs the built CLI as an auditor would; resolves with its exit code and output. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Tampering "after the fact", as someone with database access would: past the append-only trigger. */
async function tamper(pool: pg.Pool, sql: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE event_store.events DISABLE TRIGGER events_append_only');
    await sql(client);
    await client.query('ALTER TABLE event_store.events ENABLE TRIGGER events_append_only');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/** The public key as an auditor keeps it, obtained out of band. */
function keyFile(log: AuditFixture): string {
  const path = `${tempDir('key')}.pem`;
  writeFileSync(path, log.signer.publicKeyPem);
  return path;
}

const eventIdAt = async (log: AuditFixture, leafIndex: number) => (await log.store.readAll(null, 1000))[leafIndex]!.metadata.eventId;

async function freshLog(name: string): Promise<AuditFixture> {
  const log = await openAuditFixture(name);
  for (let i = 0; i < 3; i++) await tellTicket(log.store, { ticketId: `T${i}`, communeId: 'soa', day: `2026-08-1${i}`, until: 'closed' });
  await log.project();
  return log;
}

// Each case runs the verifier's CLI several times as separate processes; two minutes on a loaded machine.
describe('tampering in the store after the fact', { timeout: 120_000 }, () => {
  const logs: AuditFixture[] = [];
  beforeAll(() => {
    // The CLI runs from dist/, as an auditor installs it.
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'audit'], { cwd: root, stdio: 'inherit' });
  });
  afterAll(async () => {
    for (const log of logs) await log.close();
  });

  /**
   * Exports before and after the tampering, in one thread and in worker threads over segments of
   * four leaves: before, the two JSONL files are the same bytes; after, both fail at `leafIndex`
   * (the threaded one falls back in step at the next segment, the single one does not: the files
   * then differ after the damage), as must the self-check.
   */
  async function expectCaughtAt(log: AuditFixture, leafIndex: number, change: (client: pg.PoolClient) => Promise<void>) {
    const exportBoth = async (name: 'before' | 'after') => {
      const single = tempDir(`${name}-single`);
      const threaded = tempDir(`${name}-threaded`);
      const options = { store: log.store, pool: log.pool, scope: normaliseScope({}), signer: log.signer };
      await exportBundle({ ...options, formats: ['jsonl', 'csv'], outDir: single, workers: 1 });
      await exportBundle({ ...options, formats: ['jsonl'], outDir: threaded, workers: 2, segmentSize: 4 });
      if (name === 'before') expect(readFileSync(join(threaded, 'events.jsonl'))).toEqual(readFileSync(join(single, 'events.jsonl')));
      return { single, threaded };
    };
    const before = (await exportBoth('before')).single;
    expect((await verifyBundle(before)).ok).toBe(true);

    await tamper(log.pool, change);
    expect((await checkLogAgainstTree(log.store, log.pool)).firstMismatch?.leafIndex).toBe(leafIndex);
    const { single: after, threaded } = await exportBoth('after');
    for (const bundle of [after, threaded]) {
      const report = await verifyBundle(bundle);
      expect(report.ok).toBe(false);
      expect(report.firstFailure).toMatchObject({ check: 'event', leafIndex, line: leafIndex + 1 });
    }
    return { before, after, threaded };
  }

  it('one byte of one event’s data changed: found at that event, by the self-check, the verifier and its CLI', async () => {
    const log = await freshLog('tamper_byte');
    logs.push(log);
    const victim = await eventIdAt(log, 8); // T1's triage
    const { before, after } = await expectCaughtAt(log, 8, async (client) => {
      // The log keeps each event's text as written: one byte of it changes, "high" becomes "higx".
      const changed = await client.query(
        `UPDATE event_store.events SET data = replace(data::text, '"priority":"high"', '"priority":"higx"')::json
         WHERE event_id = $1 AND strpos(data::text, '"priority":"high"') > 0`,
        [victim],
      );
      expect(changed.rowCount).toBe(1);
    });
    const valid = await runCli(['verify', before]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('VALID');
    const tar = `${tempDir('download')}.tar`;
    await pipeline(tarDirectory(before), createWriteStream(tar)); // as the API serves it
    expect((await runCli(['verify', tar, '--public-key', keyFile(log)])).stdout).toContain('VALID —');
    const invalid = await runCli(['verify', after]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/INVALID — first failure at events\.jsonl line 9 \(leaf 8\)/);
    // Split over worker threads (as for large bundles), the verdict names the same place.
    const threaded = await runCli(['verify', after, '--workers', '3', '--json']);
    expect(threaded.code).toBe(1);
    expect(JSON.parse(threaded.stdout)).toMatchObject({ events: 18, failedEvents: 1, firstFailure: { line: 9, leafIndex: 8 } });
    expect(JSON.parse((await runCli(['verify', before, '--workers', '4', '--json'])).stdout)).toMatchObject({ ok: true, events: 18 });
  });

  it('an event deleted: found where it was', async () => {
    const log = await freshLog('tamper_delete');
    logs.push(log);
    const victim = await eventIdAt(log, 10);
    const { threaded } = await expectCaughtAt(log, 10, async (client) => {
      await client.query('DELETE FROM event_store.events WHERE event_id = $1', [victim]);
    });
    // Written by the workers: the segment that lost its event says so, the next ones are whole again.
    expect(JSON.parse(readFileSync(join(threaded, 'manifest.json'), 'utf8')).warnings).toEqual([
      'The log now holds 1 events fewer than the tree recorded in leaves 8–11.',
    ]);
  });

  it('two events swapped: found at the first of them', async () => {
    const log = await freshLog('tamper_swap');
    logs.push(log);
    const [a, b] = [await eventIdAt(log, 3), await eventIdAt(log, 13)];
    await expectCaughtAt(log, 3, async (client) => {
      const columns = 'stream_id, revision, event_id, type, data, metadata';
      const { rows } = await client.query(`SELECT ${columns} FROM event_store.events WHERE event_id = ANY($1::uuid[])`, [[a, b]]);
      const [rowA, rowB] = [rows.find((r) => r.event_id === a)!, rows.find((r) => r.event_id === b)!];
      // Through a placeholder, since (stream, revision) and (stream, event id) are unique.
      await client.query(`UPDATE event_store.events SET stream_id = '~swap', event_id = gen_random_uuid() WHERE event_id = $1`, [a]);
      const put = `UPDATE event_store.events SET stream_id = $2, revision = $3, event_id = $4, type = $5, data = $6, metadata = $7 WHERE `;
      await client.query(`${put} event_id = $1`, [b, rowA.stream_id, rowA.revision, rowA.event_id, rowA.type, rowA.data, rowA.metadata]);
      await client.query(`${put} stream_id = '~swap' AND $1::text IS NOT NULL`, ['x', rowB.stream_id, rowB.revision, rowB.event_id, rowB.type, rowB.data, rowB.metadata]);
    });
  });

  it('the export CLI writes a scoped bundle from the tampered store; the verifier refuses it at the altered event', async () => {
    const log = logs[0]!;
    const out = tempDir('cli-export');
    const exported = await runCli(['export', '--commune', 'soa', '--from', '2026-08-01', '--to', '2026-08-31', '--stream-type', 'ticket', '--format', 'jsonl,csv,geojson', '--out', out], {
      DATABASE_URL: log.url,
      PALABRE_DATA_DIR: tempDir('no-key-here'),
    });
    expect(exported.stderr).toContain('proving against the latest tree head');
    expect(exported.code).toBe(0);
    // T1's altered priority no longer parses: the exporter says so instead of inventing its state.
    expect(exported.stdout).toMatch(/Bundle written to .*: 18 events, 2 tickets, proven against tree head 18/);
    expect(exported.stdout).toContain('warning: 1 ticket events could not be read');
    const verified = await runCli(['verify', out, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: false }); // exported from the store tampered above
    expect(JSON.parse(verified.stdout).firstFailure.leafIndex).toBe(8);
  });
});

