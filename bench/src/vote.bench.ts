/**
 * `npm run bench:vote`: ballots for one consultation over HTTP from 64 concurrent clients against the
 * real server (a child process on embedded PostgreSQL), beside report submissions in the same run;
 * live results at a steady 500 ballots/s (acknowledgment → the `consultation.results` push that
 * counts it); the offline recount of 1,000,000 ballots as `palabre-audit tally` reads them. Two
 * loads: every voter's first ballot (each voter once, as most ballots of a real consultation are),
 * then voters changing their vote again and again (each ballot lands in a box that already exists).
 * BENCH_SECONDS (15), BENCH_CLIENTS (64), BENCH_VOTERS_PER_CLIENT (160), BENCH_PACED_RATE (500),
 * BENCH_RECOUNT_BALLOTS (1,000,000); BENCH_RECOUNT_ONLY=1 runs the recount alone.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { io } from 'socket.io-client';
import { readConsultation } from '@palabre/audit';
import { tally } from '@palabre/domain';
import { post, postWith, requestWith, rss } from './http.js';
import { startBenchServer } from './server.js';
import { fmt, gaugeLine, printTable, runFor, speedGauge, summarize } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const clients = Number(process.env.BENCH_CLIENTS ?? 64);
const votersPerClient = Number(process.env.BENCH_VOTERS_PER_CLIENT ?? 160);
const pacedRate = Number(process.env.BENCH_PACED_RATE ?? 500);
const recountBallots = Number(process.env.BENCH_RECOUNT_BALLOTS ?? 1_000_000);
const password = 'bench-password-123';

const hour = 3_600_000;
const consultation = {
  communeId: 'soa',
  title: { fr: 'Où installer le nouveau marché ?', en: 'Where should the new market go?' },
  requiredLevel: 'device',
  opensAt: new Date(Date.now() - hour).toISOString(),
  closesAt: new Date(Date.now() + 24 * hour).toISOString(),
  resultsVisibility: 'live',
  questions: [
    {
      id: 'site',
      kind: 'single',
      text: { fr: 'Quel site ?', en: 'Which site?' },
      options: ['gare', 'stade', 'ebogo'].map((id) => ({ id, label: { fr: id, en: id } })),
    },
    {
      id: 'projets',
      kind: 'budget',
      budget: 40_000_000,
      text: { fr: 'Quels projets ?', en: 'Which projects?' },
      options: [
        { id: 'pont', label: { fr: 'Passerelle', en: 'Footbridge' }, cost: 25_000_000 },
        { id: 'forage', label: { fr: 'Forage', en: 'Borehole' }, cost: 12_000_000 },
        { id: 'hangar', label: { fr: 'Hangar', en: 'Shed' }, cost: 18_000_000 },
      ],
    },
  ],
};
const quartiers = ['soa-centre', 'soa-ebogo', 'soa-nkolfoulou'];
const answersFor = (i: number) => ({ site: ['gare', 'stade', 'ebogo'][i % 3], projets: i % 2 ? ['pont', 'forage'] : ['forage', 'hangar'] });

async function main() {
  const gaugeBefore = speedGauge();
  if (process.env.BENCH_RECOUNT_ONLY) {
    // The offline part alone: no server.
    const recount = await benchRecount(recountBallots);
    printTable('Palabre vote bench (recount only)', ['measure', 'value', 'target'], [
      [`offline recount of ${recountBallots.toLocaleString('en-US')} ballots: read + tally (s)`, `${fmt(recount.readMs / 1000, 2)} + ${fmt(recount.tallyMs / 1000, 2)} = ${fmt((recount.readMs + recount.tallyMs) / 1000, 2)}`, '≤ 10'],
    ]);
    console.log(gaugeLine(gaugeBefore, speedGauge()));
    return;
  }
  const server = await startBenchServer('vote', password);
  const { base, port, child } = server;
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const organiser = (await post(base, '/api/auth/login', { username: 'dispatcher.soa', password })).accessToken!;
    const created = await postWith(agent, port, '/api/consultations', { authorization: `Bearer ${organiser}`, 'idempotency-key': randomUUID() }, consultation);
    const id = (JSON.parse(created.body) as { id: string }).id;
    const opened = await postWith(agent, port, `/api/consultations/${id}/open`, { authorization: `Bearer ${organiser}`, 'if-match': '"0"' }, {});
    if (opened.status !== 200) throw new Error(`open: ${opened.status} ${opened.body}`);

    // Residents at the device level who said where they live: the same work per ballot as a phone-verified one.
    const voters: string[][] = [];
    for (let c = 0; c < clients; c++) {
      voters.push(
        await Promise.all(
          Array.from({ length: votersPerClient }, async (_, v) => {
            const token = (await post(base, '/api/auth/citizen', { deviceId: `bench-${randomUUID()}` })).accessToken!;
            const declared = await requestWith(agent, port, 'PUT', '/api/citizens/me/residence', { authorization: `Bearer ${token}` }, { communeId: 'soa', quartierId: quartiers[(c + v) % 3] });
            if (declared.status !== 200) throw new Error(`residence: ${declared.status} ${declared.body}`);
            return token;
          }),
        ),
      );
    }
    const reporters = voters.map((tokens) => tokens[0]!);

    // The organiser's console follows the consultation: every tally batch is pushed to it.
    const socket = io(base, { auth: { token: organiser }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
    const pushes: { at: number; ballots: number }[] = [];
    socket.on('consultation.results', (r: { consultationId: string; ballots: number }) => {
      if (r.consultationId === id) pushes.push({ at: performance.now(), ballots: r.ballots });
    });
    socket.emit('consultation.follow', { consultationId: id });

    const rssBefore = rss(child.pid!);
    let ballotsSoFar = 0;
    /** Ballots from every client for `ms` (voters taken in turn); with `rate`, that many per second in all. */
    const vote = async (phase: string, ms: number, rate?: number, oncePerVoter = false) => {
      const acks: number[] = [];
      let failures = 0;
      const pause = rate === undefined ? 0 : (clients * 1000) / rate;
      const latencies: number[] = [];
      const { elapsedMs } = await runFor(clients, ms, async (worker, i) => {
        const started = performance.now();
        const token = voters[worker]![i % votersPerClient]!;
        const response = await postWith(agent, port, `/api/consultations/${id}/ballots`, { authorization: `Bearer ${token}`, 'idempotency-key': `${phase}-${worker}-${i}-${randomUUID()}` }, { answers: answersFor(worker + i) });
        latencies.push(performance.now() - started);
        if (response.status === 201) acks.push(performance.now());
        else failures++;
        const rest = pause - (performance.now() - started);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      }, oncePerVoter ? votersPerClient : undefined);
      const accepted = acks.length;
      const before = ballotsSoFar;
      ballotsSoFar += accepted;
      for (const deadline = performance.now() + 30_000; (pushes.at(-1)?.ballots ?? 0) < ballotsSoFar && performance.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
      // Ballot k (in acknowledgment order) is live at the first push counting before + k + 1 ballots.
      acks.sort((a, b) => a - b);
      const delays: number[] = [];
      let p = 0;
      for (let k = 0; k < acks.length; k++) {
        while (p < pushes.length && pushes[p]!.ballots < before + k + 1) p++;
        if (p < pushes.length) delays.push(Math.max(0, pushes[p]!.at - acks[k]!));
      }
      return { accepted, failures, perSecond: accepted / (elapsedMs / 1000), latency: summarize(latencies), push: summarize(delays), pushed: delays.length };
    };

    // The same run's reference: reports from the same number of clients (citizens at the device level).
    let reportsAccepted = 0;
    const reportLatencies: number[] = [];
    const reportRun = await runFor(clients, Math.min(seconds, 10) * 1000, async (worker, i) => {
      const started = performance.now();
      const response = await postWith(agent, port, '/api/tickets', { authorization: `Bearer ${reporters[worker]}`, 'idempotency-key': `report-${worker}-${i}-${randomUUID()}` }, {
        category: i % 2 ? 'salubrite' : 'voirie',
        description: `Bench report ${worker}/${i}`,
        location: { lat: 3.98 + (i % 50) * 0.0001, lon: 11.6, accuracy: 10 },
      });
      reportLatencies.push(performance.now() - started);
      if (response.status === 201) reportsAccepted++;
    });
    const reports = { perSecond: reportsAccepted / (reportRun.elapsedMs / 1000), latency: summarize(reportLatencies) };

    const first = await vote('first', seconds * 1000, undefined, true);
    const full = await vote('full', seconds * 1000);
    const peak = rss(child.pid!);
    const paced = await vote('paced', Math.min(seconds, 10) * 1000, pacedRate);
    socket.close();
    agent.destroy();

    const recount = await benchRecount(recountBallots);
    const gaugeAfter = speedGauge();
    printTable('Palabre vote bench', ['measure', 'value', 'target', 'same run: reports'], [
      [`first ballots accepted/s (one consultation, ${clients} clients, ${fmt(first.accepted, 0)} voters voting once)`, fmt(first.perSecond, 0), '≥ 1,500', `${fmt(reports.perSecond, 0)} reports/s`],
      ['first ballots: latency p50 / p99 (ms)', `${fmt(first.latency.p50, 1)} / ${fmt(first.latency.p99, 1)}`, 'p99 < 150', `${fmt(reports.latency.p50, 1)} / ${fmt(reports.latency.p99, 1)}`],
      [`changed votes accepted/s (the same ${fmt(clients * votersPerClient, 0)} voters again and again, ${seconds} s)`, fmt(full.perSecond, 0), '', ''],
      ['changed votes: latency p50 / p99 (ms)', `${fmt(full.latency.p50, 1)} / ${fmt(full.latency.p99, 1)}`, '', ''],
      ['failed ballots', String(first.failures + full.failures + paced.failures), '0', ''],
      [`steady ${fmt(paced.perSecond, 0)} ballots/s: latency p50 / p99 (ms)`, `${fmt(paced.latency.p50, 1)} / ${fmt(paced.latency.p99, 1)}`, '', ''],
      [`steady ${fmt(paced.perSecond, 0)} ballots/s: acknowledgment → results push p50 / p99 (ms)`, `${fmt(paced.push.p50, 0)} / ${fmt(paced.push.p99, 0)}`, 'p99 < 1,000', ''],
      ['ballots counted in a push / accepted (steady phase)', `${paced.pushed} / ${paced.accepted}`, 'all', ''],
      [`offline recount of ${recountBallots.toLocaleString('en-US')} ballots: read + tally (s)`, `${fmt(recount.readMs / 1000, 2)} + ${fmt(recount.tallyMs / 1000, 2)} = ${fmt((recount.readMs + recount.tallyMs) / 1000, 2)}`, '≤ 10', ''],
      ['server RSS before → after load (MB)', `${fmt(rssBefore.rss, 0)} → ${fmt(peak.rss, 0)} (peak ${fmt(peak.hwm, 0)})`, '', ''],
    ]);
    console.log(`The recount reads a bundle's events.jsonl (${fmt(recount.fileMb, 0)} MB, one line per ballot with a 20-hash proof, as an export writes it) and tallies with the domain's rules; the bundle's verification (hashes and proofs) is measured by bench:audit.`);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    await server.stop();
  }
}

/**
 * Writes events.jsonl lines as an export writes them (one ballot per line, with an inclusion proof
 * of 20 hashes) for one consultation, then times what `palabre-audit tally` does after verifying:
 * read the consultation's lines, fold, tally.
 */
async function benchRecount(count: number): Promise<{ readMs: number; tallyMs: number; fileMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'palabre-recount-'));
  try {
    mkdirSync(dir, { recursive: true });
    const id = 'K0000000000001';
    const proof = JSON.stringify(Array.from({ length: 20 }, (_, i) => Buffer.alloc(32, i).toString('base64')));
    const out = createWriteStream(join(dir, 'events.jsonl'));
    let bytes = 0;
    const write = async (line: string) => {
      bytes += line.length + 1;
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    const at = '2027-03-01T10:00:00.000Z';
    const meta = (n: number) => ({ actor: { id: 'system', role: 'system' }, causationId: `c${n}`, commandId: `c${n}`, communeId: 'soa', correlationId: `r${n}`, eventId: `e${n}`, recordedAt: at, schemaVersion: 1 });
    const drafted = { ...consultation, consultationId: id, quartierIds: null, description: null, mediaIds: [], adultsOnly: false, draftedBy: 'admin', draftedAt: at };
    const lifecycle = [
      { type: 'ConsultationDrafted', data: drafted },
      { type: 'ConsultationOpened', data: { consultationId: id, openedBy: 'admin', openedAt: at } },
    ];
    let leaf = 0;
    for (const [revision, e] of lifecycle.entries()) {
      await write(`{"leafIndex":${leaf},"event":${JSON.stringify({ data: e.data, id: `e${leaf}`, metadata: meta(leaf), recordedAt: at, revision, stream: `consultation-${id}`, type: e.type })},"inclusionProof":${proof},"treeSize":${count + 3}}`);
      leaf++;
    }
    for (let n = 0; n < count; n++, leaf++) {
      const voter = `V${String(n % Math.ceil(count * 0.8)).padStart(26, '0')}`;
      const data = { answers: answersFor(n), ballotId: `B${String(n).padStart(12, '0')}`, castAt: at, channel: 'online', consultationId: id, pollingTableId: null, pseudonym: voter, quartierId: quartiers[n % 3], recordedBy: null };
      await write(`{"leafIndex":${leaf},"event":${JSON.stringify({ data, id: `e${leaf}`, metadata: meta(leaf), recordedAt: at, revision: 0, stream: `ballots-${id}-${voter}`, type: 'BallotCast' })},"inclusionProof":${proof},"treeSize":${count + 3}}`);
    }
    await write(`{"leafIndex":${leaf},"event":${JSON.stringify({ data: { consultationId: id, how: 'by_hand', closedBy: 'admin', closedAt: at }, id: `e${leaf}`, metadata: meta(leaf), recordedAt: at, revision: 2, stream: `consultation-${id}`, type: 'ConsultationClosed' })},"inclusionProof":${proof},"treeSize":${count + 3}}`);
    out.end();
    await once(out, 'finish');
    writeFileSync(join(dir, 'manifest.json'), '{}');

    const t0 = performance.now();
    const read = await readConsultation(dir, id);
    const t1 = performance.now();
    const counted = read.ballots.filter((b) => read.closeLeaf === null || b.leafIndex < read.closeLeaf).map((b) => b.ballot);
    const result = tally(read.consultation.content!.questions, counted);
    const t2 = performance.now();
    if (counted.length !== count || result.turnout !== Math.ceil(count * 0.8)) throw new Error(`recount: ${counted.length} ballots, turnout ${result.turnout}`);
    return { readMs: t1 - t0, tallyMs: t2 - t1, fileMb: bytes / 1024 / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
