import { parseTicketEvent, replay } from '@palabre/domain';
import { defaultProjectors, getTicket, startProjectors, withCommuneScope } from '@palabre/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTrail, accessStreamId } from './access/access-trail.js';
import { erasureStreamId, recordSubjectForgotten, subjectStatus } from './erasure/erasure.js';
import { exportBundle } from './export/export-bundle.js';
import { normaliseScope } from './export/scope.js';
import { checkLogAgainstTree } from './log/self-check.js';
import { tempDir, jsonlLines } from './testing/bundles.js';
import { lastCommitted, openAuditFixture, tellTicket, type AuditFixture } from './testing/log.js';
import { ticketAsOf, ticketDetailAsOf } from './time-travel/as-of.js';
import { verifyBundle } from './verify/verify-bundle.js';

let log: AuditFixture;

beforeAll(async () => {
  log = await openAuditFixture('audit_accountability');
  await tellTicket(log.store, { ticketId: 'TPAST', communeId: 'soa', day: '2026-09-01', until: 'closed', confidential: true, contactSubjectId: 'SKOFFI' });
});
afterAll(() => log.close());

describe('time travel', () => {
  it('a ticket as of any time equals the replay of the events recorded until then', async () => {
    const events = await log.store.readStream('ticket-TPAST');
    for (const at of ['2026-09-01T07:59:59Z', '2026-09-01T08:00:00Z', '2026-09-01T09:30:00Z', '2026-09-01T12:00:00Z', '2026-09-02T14:00:00Z', '2027-01-01T00:00:00Z']) {
      const asOf = new Date(at);
      const past = await ticketAsOf(log.store, 'TPAST', asOf);
      const known = events.filter((e) => Date.parse(e.metadata.recordedAt) <= asOf.getTime());
      if (known.length === 0) {
        expect(past).toBeNull();
        continue;
      }
      expect(past!.revision).toBe(known.length - 1);
      expect(past!.ticket).toEqual(replay(known.map((e) => parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion }))));
    }
    expect((await ticketAsOf(log.store, 'TPAST', new Date('2026-09-01T09:30:00Z')))!.ticket.status).toBe('triaged');
    expect(await ticketAsOf(log.store, 'NOPE', new Date())).toBeNull();
  });

  it('today, it shows what the read model shows', async () => {
    const projectors = startProjectors(log.store, log.pool, defaultProjectors, { pollIntervalMs: 20 });
    await projectors.waitFor(await lastCommitted(log.pool));
    await projectors.stop();
    const current = await withCommuneScope(log.pool, '*', (client) => getTicket(client, 'TPAST'));
    const now = ticketDetailAsOf((await ticketAsOf(log.store, 'TPAST', new Date()))!);
    expect(now).toEqual(current);
  });
});

describe('access trail', () => {
  it('records who looked at what and why, as events of the log that auditors can export and verify', async () => {
    const trail = new AccessTrail(log.store, () => new Date('2026-09-03T10:00:00.000Z'));
    await trail.record({ viewer: { id: 'U-dispatcher-soa', role: 'dispatcher' }, communeId: 'soa', resource: { kind: 'ticket', id: 'TPAST' }, purpose: 'ticket.view' });
    const trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'palabre=soa' };
    await trail.record({ viewer: { id: 'U-dispatcher-soa', role: 'dispatcher' }, communeId: 'soa', resource: { kind: 'contact', id: 'SKOFFI' }, purpose: 'call back the reporter about the leak', ...trace });
    const [, looked] = await log.store.readStream(accessStreamId('soa'));
    expect(looked!.metadata).toMatchObject({ ...trace, actor: { id: 'U-dispatcher-soa', role: 'dispatcher' }, communeId: 'soa', schemaVersion: 1 });
    await expect(trail.record({ viewer: { id: 'x', role: 'admin' }, communeId: 'soa', resource: { kind: 'ticket', id: 'T' }, purpose: '  ' })).rejects.toThrow(/purpose/);

    const { items } = await trail.list('soa');
    expect(items.map((i) => [i.viewer.id, i.resource.kind, i.resource.id, i.purpose])).toEqual([
      ['U-dispatcher-soa', 'ticket', 'TPAST', 'ticket.view'],
      ['U-dispatcher-soa', 'contact', 'SKOFFI', 'call back the reporter about the leak'],
    ]);
    expect((await trail.list('soa', { resourceId: 'SKOFFI' })).items).toHaveLength(1);
    expect((await trail.list('soa', { limit: 1 })).nextRevision).toBe(1);

    await log.project();
    const dir = tempDir('access');
    await exportBundle({ store: log.store, pool: log.pool, scope: normaliseScope({ communeId: 'soa', streamTypes: ['access'] }), formats: ['jsonl', 'csv'], outDir: dir, signer: log.signer });
    expect(jsonlLines(dir).map((l) => JSON.parse(l).event.stream)).toEqual([accessStreamId('soa'), accessStreamId('soa')]);
    expect((await verifyBundle(dir)).ok).toBe(true);
  });
});

describe('erasure', () => {
  it('forgetting a subject is recorded without their data and leaves the log and its proofs intact', async () => {
    await log.pool.query(`CREATE SCHEMA IF NOT EXISTS vault; CREATE TABLE IF NOT EXISTS vault.subjects (subject_id text PRIMARY KEY, erased_at timestamptz)`);
    await log.pool.query(`INSERT INTO vault.subjects (subject_id, erased_at) VALUES ('SKOFFI', NULL)`);
    expect(await subjectStatus(log.pool, 'SKOFFI')).toBe('held');
    await log.pool.query(`UPDATE vault.subjects SET erased_at = now() WHERE subject_id = 'SKOFFI'`);
    await recordSubjectForgotten(log.store, { subjectId: 'SKOFFI', actor: { id: 'U-admin-soa', role: 'admin' }, communeId: 'soa', reason: 'citizen request by phone' });
    expect(await subjectStatus(log.pool, 'SKOFFI')).toBe('erased');
    expect(await subjectStatus(log.pool, 'SNEVER')).toBe('unknown');
    const [event] = await log.store.readStream(erasureStreamId('soa'));
    expect(event).toMatchObject({ type: 'SubjectForgotten', data: { subjectId: 'SKOFFI', reason: 'citizen request by phone' } });

    await log.project();
    expect(await checkLogAgainstTree(log.store, log.pool)).toMatchObject({ ok: true });
    const dir = tempDir('erasure');
    await exportBundle({ store: log.store, pool: log.pool, scope: normaliseScope({ communeId: 'soa' }), formats: ['jsonl', 'geojson'], outDir: dir, signer: log.signer });
    expect((await verifyBundle(dir)).ok).toBe(true);
  });
});
