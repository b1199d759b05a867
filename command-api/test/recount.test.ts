import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, normaliseScope, recountConsultation, verifyResultSignature } from '@palabre/audit';
import { copyBundle, jsonlLines, tempDir, writeJsonl } from '@palabre/audit/testing/bundles';
import { AuditLog } from '../src/audit/audit-log.js';
import { type Client, consultationDraft, eventually, phoneVoter as verifiedVoter, staff, startTestPalabre, type TestPalabre } from './support.js';

const auditCli = fileURLToPath(new URL('../../audit/bin/palabre-audit.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let api: TestPalabre;
let soa: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  soa = await staff(api, 'dispatcher.soa');
});
afterAll(async () => {
  await api?.close();
});

const market = consultationDraft([
  {
    id: 'site',
    kind: 'single',
    text: { fr: 'Quel site ?', en: 'Which site?' },
    options: [
      { id: 'gare', label: { fr: 'Gare routière', en: 'Bus station' } },
      { id: 'stade', label: { fr: 'Stade', en: 'Stadium' } },
      { id: 'ebogo', label: { fr: 'Entrée Ebogo', en: 'Ebogo entrance' } },
    ],
  },
  {
    id: 'projets',
    kind: 'budget',
    budget: 40_000_000,
    text: { fr: 'Quels projets financer ?', en: 'Which projects to fund?' },
    options: [
      { id: 'pont', label: { fr: 'Passerelle', en: 'Footbridge' }, cost: 25_000_000 },
      { id: 'forage', label: { fr: 'Forage', en: 'Borehole' }, cost: 12_000_000 },
      { id: 'hangar', label: { fr: 'Hangar', en: 'Shed' }, cost: 18_000_000 },
    ],
  },
]);

const phoneVoter = (quartierId: string) => verifiedVoter(api, soa, 'soa', quartierId);

const vote = async (voter: Client, id: string, site: string, projets: string[]) => {
  const reply = await voter.post(`/api/consultations/${id}/ballots`, { answers: { site, projets } }, { 'idempotency-key': randomUUID() });
  expect(reply.status).toBe(201);
  return reply.body.receipt as string;
};

const audit = (...args: string[]) => spawnSync(process.execPath, [auditCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 });

describe('a consultation from opening to a published result anyone recounts', () => {
  let id: string;
  let bundle: string;
  const receipts: Record<string, string> = {};

  it('publishes the tally of the ballots before the close, signed over the log, and forgets who voted', async () => {
    const created = await soa.post('/api/consultations', market, { 'idempotency-key': randomUUID() });
    id = created.body.id;
    expect((await soa.post(`/api/consultations/${id}/open`, {}, { 'if-match': '"0"' })).status).toBe(200);

    // Seven residents of three quartiers online; one changes their mind; an eighth votes on paper.
    const quartiers = ['soa-centre', 'soa-centre', 'soa-centre', 'soa-centre', 'soa-centre', 'soa-ebogo', 'soa-nkolfoulou'];
    const voters = await Promise.all(quartiers.map((q) => phoneVoter(q)));
    for (const [i, voter] of voters.entries()) receipts[`voter${i}`] = await vote(voter, id, i < 4 ? 'gare' : 'stade', i % 2 ? ['pont', 'forage'] : ['forage', 'hangar']);
    receipts.revote = await vote(voters[0]!, id, 'ebogo', ['pont']);
    const paperVoter = await phoneVoter('soa-centre');
    const paper = await (await staff(api, 'agent.soa')).post(
      `/api/consultations/${id}/paper-ballots`,
      { citizenId: paperVoter.citizenId, pollingTableId: 'soa-ecole-publique', answers: { site: 'stade', projets: ['hangar'] } },
      { 'idempotency-key': randomUUID() },
    );
    expect(paper.status).toBe(201);
    receipts.paper = paper.body.receipt;

    // At close only: residents see nothing yet, the commune's organisers see the count.
    expect((await voters[1]!.get(`/api/consultations/${id}/results`)).status).toBe(403);
    expect((await soa.post(`/api/consultations/${id}/close`, {}, { 'if-match': '"1"' })).status).toBe(200);
    const published = await soa.post(`/api/consultations/${id}/publish`, {}, { 'if-match': '"2"' });
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ id, revision: 3, status: 'published' });

    const results = await voters[1]!.get(`/api/consultations/${id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.turnout).toBe(8);
    expect(results.body.byChannel).toEqual({ online: 7, paper: 1 });
    expect(results.body.questions[0].options).toEqual([
      { optionId: 'gare', votes: 3 },
      { optionId: 'stade', votes: 4 },
      { optionId: 'ebogo', votes: 1 },
    ]);
    // Quartiers under 5 voters are merged: Ebogo and Nkolfoulou (one each) join the smallest other.
    expect(results.body.byQuartier.withheld).toBe(false);
    expect(results.body.byQuartier.cells.every((c: { voters: number }) => c.voters >= 5)).toBe(true);

    // The signed result in the log is the read model's, and the audit key signed it.
    const { rows } = await api.palabre.infra.pool.query<{ data: { signedResult: Parameters<typeof verifyResultSignature>[2] } }>(
      `SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'ConsultationResultsPublished'`,
      [`consultation-${id}`],
    );
    const signed = rows[0]!.data.signedResult;
    expect(signed.results).toMatchObject({ turnout: 8, questions: results.body.questions });
    expect(verifyResultSignature(api.palabre.app.get(AuditLog).signer.publicKey, id, signed)).toBe(true);
    expect(verifyResultSignature(api.palabre.app.get(AuditLog).signer.publicKey, 'K0000000000000', signed)).toBe(false);

    // The pseudonym key is destroyed: the ballots can no longer be tied to anyone, and no more can be cast.
    const key = await api.palabre.infra.pool.query<{ wrapped: boolean; erased: boolean }>(
      'SELECT wrapped_key IS NOT NULL AS wrapped, erased_at IS NOT NULL AS erased FROM vault.subjects WHERE subject_id = $1',
      [`consultation.${id}`],
    );
    expect(key.rows[0]).toEqual({ wrapped: false, erased: true });
    expect((await voters[2]!.post(`/api/consultations/${id}/ballots`, { answers: { site: 'gare', projets: [] } }, { 'idempotency-key': randomUUID() })).body.code).toBe('consultation.closed');
  });

  it('recounts the published result from an export, offline, and shows each receipt with its proof', async () => {
    bundle = tempDir('consultation');
    const pool = api.palabre.infra.pool;
    // The transparency log holds every event (the publication included) before the export.
    await eventually(async () => {
      const { rows } = await pool.query<{ behind: boolean }>('SELECT (SELECT count(*) FROM audit.leaves) < (SELECT count(*) FROM event_store.events) AS behind');
      return !rows[0]!.behind;
    }, 'the transparency log caught up', 20_000);
    await exportBundle({ store: api.palabre.infra.store, pool, scope: normaliseScope({ communeId: 'soa' }), formats: ['jsonl'], outDir: bundle, signer: api.palabre.app.get(AuditLog).signer, workers: 1 });

    const report = await recountConsultation(bundle, id);
    expect(report).toMatchObject({ ok: true, found: true, status: 'published', counted: 9, afterClose: 0, signatureValid: true, rootInBundle: true, match: true });
    expect(report.recount!.turnout).toBe(8);

    const tally = audit('tally', bundle, '--consultation', id);
    expect(tally.stderr).toBe('');
    expect(tally.status).toBe(0);
    expect(tally.stdout).toMatch(/MATCH — the recount gives exactly the published result/);
    expect(tally.stdout).toMatch(/stade\s+4/);
    // Read on three threads (as a large bundle is), the recount is the same, byte for byte.
    const threaded = audit('tally', bundle, '--consultation', id, '--workers', '3');
    expect(threaded.status).toBe(0);
    expect(threaded.stdout).toBe(tally.stdout);
    expect(audit('tally', bundle, '--consultation', id, '--workers', 'many').status).toBe(2);

    const counted = audit('receipt', bundle, receipts.revote!);
    expect(counted.status).toBe(0);
    expect(counted.stdout).toMatch(/INCLUDED/);
    expect(counted.stdout).toMatch(/COUNTED — it is the ballot that counts/);
    const replaced = audit('receipt', bundle, receipts.voter0!.toLowerCase());
    expect(replaced.stdout).toMatch(/NOT COUNTED/);
    const onPaper = audit('receipt', bundle, receipts.paper!, '--json');
    expect(JSON.parse(onPaper.stdout)).toMatchObject({ channel: 'paper', included: true, counted: true, answers: { site: 'stade', projets: ['hangar'] } });
    expect(audit('receipt', bundle, '7K3QX-M2P9R').stdout).toMatch(/NOT FOUND/);
    expect(audit('receipt', bundle, 'nonsense').status).toBe(2);
    expect(audit('tally', bundle).status).toBe(2);
  }, 120_000);

  it('fails the recount at the position of a changed or removed ballot', async () => {
    const lines = jsonlLines(bundle);
    const ballotAt = lines.findIndex((line) => line.includes(`"stream":"ballots-${id}-`) && line.includes('"site":"stade"'));
    expect(ballotAt).toBeGreaterThanOrEqual(0);

    const changed = copyBundle(bundle);
    writeJsonl(changed, lines.map((line, i) => (i === ballotAt ? line.replace('"site":"stade"', '"site":"gare"') : line)));
    const changedReport = await recountConsultation(changed, id);
    expect(changedReport.ok).toBe(false);
    expect(changedReport.verification.firstFailure?.position).toContain(`line ${ballotAt + 1}`);
    const cli = audit('tally', changed, '--consultation', id);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/FAILED — the bundle does not verify/);
    expect(cli.stdout).toContain(`line ${ballotAt + 1}`);

    const removed = copyBundle(bundle);
    writeJsonl(removed, lines.filter((_, i) => i !== ballotAt));
    const removedReport = await recountConsultation(removed, id);
    expect(removedReport.ok).toBe(false);
    expect(removedReport.verification.firstFailure).not.toBeNull();
    expect(audit('tally', removed, '--consultation', id).status).toBe(1);
  }, 120_000);
});
