/**
 * `npm run bench:api`: report submissions over HTTP from 64 concurrent clients for 20 s against the
 * real server (a child process on embedded PostgreSQL): accepted/s, latency, acknowledgment → socket
 * push, server memory. BENCH_SECONDS (20), BENCH_CLIENTS (64), BENCH_PROJECTIONS (in-process | external:
 * the read-model projectors in their own process, as `PALABRE_PROJECTIONS=external` + `npm run start:projections`),
 * BENCH_PACED_RATE (1000: a second phase at that steady offered load, below saturation).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { freePort } from '@palabre/event-store';
import { startBenchDatabase } from './database.js';
import { waitForHealth } from './server.js';
import { post, postWith, rss, stopChild } from './http.js';
import { fmt, gaugeLine, printTable, runFor, speedGauge, summarize } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
const password = 'bench-password-123';
const mainJs = fileURLToPath(new URL('../../command-api/dist/main.js', import.meta.url));
const projectJs = fileURLToPath(new URL('../../projections/dist/cli/project.js', import.meta.url));
/** `in-process` (default, as `npm start`) or `external`: the read-model projectors in their own process. */
const projections = process.env.BENCH_PROJECTIONS === 'external' ? 'external' : 'in-process';
/** Offered load of the second, steady phase (reports/s from all clients together). */
const pacedRate = Number(process.env.BENCH_PACED_RATE ?? 1000);
if (!(pacedRate > 0)) throw new RangeError(`BENCH_PACED_RATE must be a positive number of reports/s, got ${process.env.BENCH_PACED_RATE}`);

async function main() {
  const gaugeBefore = speedGauge();
  const database = await startBenchDatabase('api');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', PALABRE_DATA_DIR: join(database.dir, 'data'), PALABRE_DEMO_PASSWORD: password, PALABRE_RATE_LIMITS: 'off', LOG_LEVEL: 'silent', PALABRE_PROJECTIONS: projections },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let projector: ReturnType<typeof spawn> | null = null;
  try {
    await waitForHealth(base, child);
    if (projections === 'external') {
      projector = spawn(process.execPath, [projectJs], { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const staff = await post(base, '/api/auth/login', { username: 'admin', password });
    const socket = io(base, { auth: { token: staff.accessToken }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
    const ackAt = new Map<string, number>();
    let pushes: number[] = [];
    const seen = new Set<string>();
    // A push can reach this process before it has read the HTTP response of the same report (both
    // wait in its event loop): it is kept until the acknowledgment is read, then counts as 0 ms.
    const early = new Set<string>();
    let earlyPushes = 0;
    socket.on('ticket.updated', (message: { ticket: { id: string } }) => {
      const now = performance.now();
      const id = message.ticket.id;
      if (seen.has(id)) return;
      const at = ackAt.get(id);
      if (at === undefined) {
        early.add(id);
        return;
      }
      seen.add(id);
      pushes.push(Math.max(0, now - at));
    });
    const tokens = await Promise.all(Array.from({ length: clients }, async () => (await post(base, '/api/auth/citizen', { deviceId: `bench-${randomUUID()}` })).accessToken as string));
    const rssBefore = rss(child.pid!);
    // node:http with kept-alive connections, one per client: fetch costs the load generator several
    // times more CPU per request, CPU the server under test would not get on 2 cores.
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

    /** Reports from every client for `ms`; with `rate`, the clients together offer that many per second. */
    const submit = async (phase: string, ms: number, rate?: number) => {
      pushes = [];
      earlyPushes = 0;
      let failures = 0;
      let accepted = 0;
      const pause = rate === undefined ? 0 : (clients * 1000) / rate;
      const latencies: number[] = []; // request → response, without the pacing pause
      const { elapsedMs } = await runFor(clients, ms, async (worker, i) => {
        const started = performance.now();
        const response = await postWith(agent, port, '/api/tickets', {
          authorization: `Bearer ${tokens[worker]}`,
          'idempotency-key': `bench-${phase}-${worker}-${i}-${randomUUID()}`,
        }, { category: i % 2 ? 'salubrite' : 'voirie', description: `Bench report ${worker}/${i}`, location: { lat: 3.98 + (i % 50) * 0.0001, lon: 11.6, accuracy: 10 } });
        latencies.push(performance.now() - started);
        const body = JSON.parse(response.body) as { id?: string };
        if (response.status === 201 && body.id) {
          ackAt.set(body.id, performance.now());
          accepted++;
          if (early.delete(body.id)) {
            seen.add(body.id);
            pushes.push(0);
            earlyPushes++;
          }
        } else failures++;
        const rest = pause - (performance.now() - started);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      });
      // Let the last pushes arrive: the projectors may still be working through a backlog.
      for (const deadline = performance.now() + 30_000; pushes.length < accepted && performance.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      return { accepted, failures, perSecond: accepted / (elapsedMs / 1000), latency: summarize(latencies), push: summarize(pushes), pushes: pushes.length, early: earlyPushes };
    };

    const full = await submit('full', seconds * 1000);
    const peak = rss(child.pid!);
    // The same clients at a steady load below saturation: what a client sees on a busy day, rather
    // than how long the queues grow when the machine is flat out.
    const paced = await submit('paced', Math.min(seconds, 10) * 1000, pacedRate);
    agent.destroy();
    socket.close();
    const gaugeAfter = speedGauge();
    printTable('Palabre API bench', ['measure', 'value', 'target'], [
      [`reports accepted/s (${clients} clients, ${seconds} s, projectors ${projections})`, fmt(full.perSecond, 0), '≥ 2,000'],
      ['request latency p50 (ms)', fmt(full.latency.p50, 1), ''],
      ['request latency p99 (ms)', fmt(full.latency.p99, 1), '< 100'],
      ['acknowledgment → socket push p50 (ms)', fmt(full.push.p50, 1), ''],
      ['acknowledgment → socket push p99 (ms)', fmt(full.push.p99, 1), '< 100'],
      ['pushes received / accepted (of which read before their acknowledgment, as 0 ms)', `${full.pushes} / ${full.accepted} (${full.early})`, 'all'],
      ['failed requests', String(full.failures + paced.failures), '0'],
      ['server RSS before → after load (MB)', `${fmt(rssBefore.rss, 0)} → ${fmt(peak.rss, 0)} (peak ${fmt(peak.hwm, 0)})`, ''],
      [`steady ${fmt(paced.perSecond, 0)} reports/s: request latency p50 / p99 (ms)`, `${fmt(paced.latency.p50, 1)} / ${fmt(paced.latency.p99, 1)}`, ''],
      [`steady ${fmt(paced.perSecond, 0)} reports/s: push p50 / p99 (ms)`, `${fmt(paced.push.p50, 1)} / ${fmt(paced.push.p99, 1)}`, ''],
      ['steady load: pushes received / accepted (read before their acknowledgment)', `${paced.pushes} / ${paced.accepted} (${paced.early})`, 'all'],
    ]);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    if (projector) await stopChild(projector);
    await stopChild(child);
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
