import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GlobalPosition, comparePositions, parsePosition } from '@palabre/event-store';
import { type Fixture, openFixture, waitVisible } from '../src/testing/fixture.js';
import { appendWorkload } from '../src/testing/workload.js';
import { readModelContents } from '../src/testing/compare.js';
import { buildReadModels } from '../src/rebuild.js';
import { defaultProjectors } from '../src/projectors/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../dist/cli/project.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The runner in a child process is killed with SIGKILL at random points while it works, restarted,
 * and finally left to finish: the read models must equal a clean build from the same log.
 */
describe('projector crash safety', () => {
  let f: Fixture;
  let head: GlobalPosition;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    // The child runs the compiled runner, exactly as production does.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', 'projections'], { cwd: root, stdio: 'pipe' });
    f = await openFixture('projections_crash');
    const { last } = await appendWorkload(f.store, { tickets: 500, seed: 2026 });
    await waitVisible(f.store, last);
    head = last!;
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await f.close();
  });

  function run(args: string[]): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
    const child = spawn(process.execPath, [entry, '--batch-size', '10', ...args], {
      env: { ...process.env, DATABASE_URL: f.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))));
    return { child, exit, stderr: () => stderr };
  }

  const checkpoints = async () => {
    const { rows } = await f.pool.query<{ position: string | null }>(`SELECT position FROM projections.checkpoints ORDER BY name`);
    return rows.map((r) => r.position);
  };

  it('loses and repeats nothing across kill -9 at random points', async () => {
    let killedMidway = 0;
    for (let round = 0; round < 6; round++) {
      const before = (await checkpoints()).join();
      const { child, exit, stderr } = run([]);
      // Let this run make progress, then kill it at a random moment of its work.
      const deadline = Date.now() + 15_000;
      while ((await checkpoints()).join() === before && child.exitCode === null) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`The restarted runner made no progress: ${stderr().slice(0, 500)}`);
        }
        await sleep(5);
      }
      await sleep(Math.random() * 60);
      child.kill('SIGKILL');
      await exit;
      const after = await checkpoints();
      if (after.some((p) => p === null || comparePositions(parsePosition(p), head) < 0)) killedMidway++;
    }
    expect(killedMidway).toBeGreaterThanOrEqual(3);

    const last = run(['--until-caught-up']);
    expect(await last.exit, last.stderr()).toBe(0);
    expect(await checkpoints()).toEqual(defaultProjectors.map(() => `${head.commit}/${head.prepare}`));

    await buildReadModels(f.store, f.pool, 'read_check');
    const client = await f.pool.connect();
    try {
      const [live, clean] = [await readModelContents(client, 'read'), await readModelContents(client, 'read_check')];
      expect(live.tickets!.length).toBe(500);
      for (const table of Object.keys(clean)) expect(live[table], table).toEqual(clean[table]);
    } finally {
      client.release();
    }
  }, 180_000);
});
