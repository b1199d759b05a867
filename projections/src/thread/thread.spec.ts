import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchInfo } from '../runner.js';
import { startProjectorsInThread } from './index.js';

// A stand-in entry speaking the thread's protocol (the real one, `serveProjectorsInThread`, runs in
// the compiled server's crash test): its first run reports a batch, then dies without a word; its
// second run reports the next batch and answers every wait.
const ENTRY = `
import { parentPort, workerData } from 'node:worker_threads';
import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(workerData.runs, 'x');
const run = readFileSync(workerData.runs, 'utf8').length;
const batch = (n) => ({ projector: 'tickets', from: null, to: { commit: BigInt(n), prepare: 0n }, events: 1, changes: 0, durationMs: 1, projected: { changes: [] } });
parentPort.on('message', (message) => {
  if (message.type === 'waitFor') { if (run > 1) parentPort.postMessage({ type: 'reached', id: message.id }); return; }
  appendFileSync(workerData.runs, 's');
  parentPort.close();
});
parentPort.postMessage({ type: 'batch', batch: batch(run) });
if (run === 1) setTimeout(() => process.exit(3), 50);
`;

describe('projectors in a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palabre-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a thread that died again, carries pending waits over, and stops it cleanly', async () => {
    const script = join(dir, 'entry.mjs');
    const runs = join(dir, 'runs');
    writeFileSync(script, ENTRY);
    writeFileSync(runs, '');
    const batches: BatchInfo[] = [];
    const errors: string[] = [];
    const group = startProjectorsInThread({
      script: pathToFileURL(script),
      data: { databaseUrl: 'unused', runs } as never,
      names: ['tickets'],
      restartDelayMs: 20,
      onBatch: (batch) => batches.push(batch),
      onError: (error, projector) => errors.push(`${projector}: ${error.message}`),
    });
    // Asked before the crash, answered by the thread started after it.
    await group.waitFor({ commit: 2n, prepare: 0n });
    expect(errors).toEqual(['thread: the projectors thread stopped; starting it again']);
    expect(batches.map((b) => b.to.commit)).toEqual([1n, 2n]);
    expect(group.handles.map((h) => [h.name, h.position()])).toEqual([['tickets', { commit: 2n, prepare: 0n }]]);
    await group.handles[0]!.waitFor({ commit: 1n, prepare: 0n }); // already reached: no round trip
    await group.stop();
    expect(readFileSync(runs, 'utf8')).toBe('xxs');
  });
});
