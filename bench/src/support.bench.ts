/**
 * `npm run bench:support`: one proposal gone viral. 64 concurrent clients support it over HTTP
 * against the real server (a child process on embedded PostgreSQL), each supporter once, beside
 * report submissions in the same run; then the count the API shows is checked against the
 * distinct supporters acknowledged (none lost, none doubled). Supporters are phone-verified
 * residents: their PhoneVerified events are written to the log before the run (the SMS round trip
 * is not what is measured). BENCH_SECONDS (15), BENCH_CLIENTS (64), BENCH_SUPPORTERS_PER_CLIENT (400).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { citizenEventVersions } from '@palabre/domain';
import { createPostgresEventStore, envelopesFor } from '@palabre/event-store';
import { post, postWith, rss } from './http.js';
import { startBenchServer } from './server.js';
import { fmt, gaugeLine, printTable, runFor, speedGauge, summarize } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
const perClient = Number(process.env.BENCH_SUPPORTERS_PER_CLIENT ?? 400);
const password = 'bench-password-123';

async function main() {
  const gaugeBefore = speedGauge();
  const server = await startBenchServer('support', password);
  const { base, port, child } = server;
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const store = await createPostgresEventStore({ connectionString: server.databaseUrl });

    // Residents with a verified phone: a device session each, and its PhoneVerified event in the log.
    const verified = async () => {
      const session = await post(base, '/api/auth/citizen', { deviceId: `bench-${randomUUID()}` });
      const citizenId = session.citizenId!;
      const data = { citizenId, phoneDigest: createHash('sha256').update(citizenId).digest('hex'), verifiedAt: new Date().toISOString() };
      await store.append(
        `citizen-${citizenId}`,
        envelopesFor([{ type: 'PhoneVerified', data }], { commandId: `bench-${citizenId}`, actor: { id: citizenId, role: 'citizen' }, communeId: null, recordedAt: data.verifiedAt }, (t) => citizenEventVersions[t as 'PhoneVerified']),
        'any',
      );
      return session.accessToken!;
    };
    const author = await verified();
    const created = await postWith(agent, port, '/api/proposals', { authorization: `Bearer ${author}`, 'idempotency-key': randomUUID() }, {
      title: 'Une passerelle sur le ruisseau à Foto',
      description: 'Les enfants traversent le ruisseau à gué pour aller à l’école ; en saison des pluies c’est dangereux.',
      category: 'voirie',
      quartierId: 'dschang-foto',
    });
    if (created.status !== 201) throw new Error(`proposal: ${created.status} ${created.body}`);
    const id = (JSON.parse(created.body) as { id: string }).id;
    const supporters: string[][] = [];
    for (let c = 0; c < clients; c++) supporters.push(await Promise.all(Array.from({ length: perClient }, verified)));
    await store.close();

    // The same run's reference: reports from the same number of clients.
    let reportsAccepted = 0;
    const reportLatencies: number[] = [];
    const reportRun = await runFor(clients, Math.min(seconds, 10) * 1000, async (worker, i) => {
      const started = performance.now();
      const response = await postWith(agent, port, '/api/tickets', { authorization: `Bearer ${supporters[worker]![0]}`, 'idempotency-key': `report-${worker}-${i}-${randomUUID()}` }, {
        category: i % 2 ? 'salubrite' : 'voirie',
        description: `Bench report ${worker}/${i}`,
        location: { lat: 5.45 + (i % 50) * 0.0001, lon: 10.05, accuracy: 10 },
      });
      reportLatencies.push(performance.now() - started);
      if (response.status === 201) reportsAccepted++;
    });
    const reports = { perSecond: reportsAccepted / (reportRun.elapsedMs / 1000), latency: summarize(reportLatencies) };

    const rssBefore = rss(child.pid!);
    let accepted = 0;
    let failures = 0;
    const latencies: number[] = [];
    const { elapsedMs } = await runFor(
      clients,
      seconds * 1000,
      async (worker, i) => {
        const started = performance.now();
        const response = await postWith(agent, port, `/api/proposals/${id}/supports`, { authorization: `Bearer ${supporters[worker]![i]}`, 'idempotency-key': randomUUID() }, {});
        latencies.push(performance.now() - started);
        if (response.status === 201) accepted++;
        else failures++;
      },
      perClient,
    );
    const peak = rss(child.pid!);
    // The count shown, once projected: every acknowledged supporter, each once.
    let shown = -1;
    for (const deadline = performance.now() + 60_000; shown !== accepted && performance.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const reply = await fetch(`${base}/api/proposals/${id}`, { headers: { authorization: `Bearer ${author}` } });
      shown = ((await reply.json()) as { supports: number }).supports;
    }
    agent.destroy();
    const latency = summarize(latencies);
    const gaugeAfter = speedGauge();
    printTable('Palabre support bench', ['measure', 'value', 'target', 'same run: reports'], [
      [`supports accepted/s (one proposal, ${clients} clients, each supporter once)`, fmt(accepted / (elapsedMs / 1000), 0), '≥ 1,000', `${fmt(reports.perSecond, 0)} reports/s`],
      ['supports: latency p50 / p99 (ms)', `${fmt(latency.p50)} / ${fmt(latency.p99)}`, 'p99 < 150', `${fmt(reports.latency.p50)} / ${fmt(reports.latency.p99)}`],
      ['failed supports', String(failures), '0', ''],
      ['count shown / distinct supporters acknowledged', `${shown} / ${accepted}`, 'equal', ''],
      ['server RSS before → after load (MB)', `${fmt(rssBefore.rss, 0)} → ${fmt(peak.rss, 0)} (peak ${fmt(peak.hwm, 0)})`, '', ''],
    ]);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
    if (shown !== accepted) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
