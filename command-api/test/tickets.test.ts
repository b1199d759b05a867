import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, eventCount, eventually, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dispatcher: Client;
let agent: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  [dispatcher, agent] = await Promise.all([staff(api, 'dispatcher.soa'), staff(api, 'agent.soa')]);
});
afterAll(async () => {
  await api?.close();
});

/** Acts as `who` on the revision the ticket is at now, as a console does after reading it. */
async function actOnLatest(who: Client, id: string, action: string, body: unknown) {
  const current = await who.get(`/api/tickets/${id}`);
  expect(current.status).toBe(200);
  const reply = await who.act(id, action, body, Number(current.body.revision));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.headers.get('etag')).toBe(`"${reply.body.revision}"`);
  await who.ticketAt(id, reply.body.revision);
  return reply.body;
}

describe('a ticket over HTTP', () => {
  it('lives its whole life: reported, triaged, assigned, worked, resolved, confirmed and closed', async () => {
    const reporter = await citizen(api);
    const created = await reporter.report({ category: 'voirie', subcategory: 'nids-de-poule', description: 'Nid-de-poule devant l’école' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('etag')).toBe(`"${created.body.revision}"`);
    expect(created.headers.get('location')).toBe(`/api/tickets/${created.body.id}`);
    const id: string = created.body.id;

    const reported = await dispatcher.ticketAt(id, created.body.revision);
    expect(reported).toMatchObject({ id, status: 'new', communeId: 'soa', category: 'voirie', subcategory: 'nids-de-poule', channel: 'app', confirmations: 0 });
    expect(reported.reference).toMatch(/^SOA-/);
    expect(reported.location).toEqual({ lat: 3.98, lon: 11.6, accuracy: 12 });
    expect(reported.sla.acknowledgeBy).not.toBeNull();

    expect((await actOnLatest(dispatcher, id, 'triage', { priority: 'high' })).events).toEqual(['TicketTriaged']);
    expect((await actOnLatest(dispatcher, id, 'assign', { teamId: 'soa-voirie', agentId: 'U-agent-soa' })).events).toEqual(['TicketAssigned']);
    expect((await actOnLatest(agent, id, 'start', {})).events).toEqual(['TicketWorkStarted']);
    expect((await actOnLatest(agent, id, 'notes', { text: 'Besoin de gravier', visibility: 'internal' })).events).toEqual(['TicketNoteAdded']);
    expect((await actOnLatest(agent, id, 'resolve', { note: 'Trou rebouché' })).events).toEqual(['TicketResolved']);

    const confirmed = await reporter.act(id, 'confirm-resolution', { note: 'Merci' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.events).toEqual(['TicketResolutionConfirmed', 'TicketClosed']);

    const closed = await dispatcher.ticketAt(id, confirmed.body.revision);
    expect(closed).toMatchObject({ status: 'closed', priority: 'high', teamId: 'soa-voirie', agentId: 'U-agent-soa', resolution: { note: 'Trou rebouché' } });
    expect(closed.acknowledgedAt).not.toBeNull();
    expect(closed.closedAt).not.toBeNull();

    const staffTimeline = await dispatcher.timelineAt(id, confirmed.body.revision);
    expect(staffTimeline.body.items.map((i: any) => i.summary)).toEqual([
      'ticket.reported', 'ticket.routed', 'ticket.triaged', 'ticket.assigned', 'ticket.work_started', 'ticket.note_added',
      'ticket.resolved', 'ticket.resolution_confirmed', 'ticket.closed',
    ]);
    expect(staffTimeline.body.items.find((i: any) => i.summary === 'ticket.triaged').actor).toEqual({ id: 'U-dispatcher-soa', role: 'dispatcher' });

    // The reporter follows the public story: no routing, no internal note, no staff names.
    const publicTimeline = await reporter.get(`/api/tickets/${id}/timeline`);
    expect(publicTimeline.body.items.map((i: any) => i.summary)).toEqual([
      'ticket.reported', 'ticket.triaged', 'ticket.assigned', 'ticket.work_started', 'ticket.resolved', 'ticket.resolution_confirmed', 'ticket.closed',
    ]);
    for (const item of publicTimeline.body.items) expect(item.actor.id).toBeUndefined();

    const mine = await reporter.get('/api/me/tickets');
    expect(mine.body.items.map((t: any) => [t.id, t.status, t.mine])).toEqual([[id, 'closed', true]]);

    const again = await agent.act(id, 'start', {}, confirmed.body.revision);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ticket.closed');
  });

  it('reopens when the reporter disputes the fix, and a dispatcher closes it after the second fix', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    await actOnLatest(dispatcher, body.id, 'assign', { teamId: 'soa-salubrite' });
    await actOnLatest(agent, body.id, 'resolve', { note: 'Bac vidé' });
    const disputed = await reporter.act(body.id, 'dispute', { note: 'Toujours plein' });
    expect(disputed.status, JSON.stringify(disputed.body)).toBe(200);
    expect((await dispatcher.ticketAt(body.id, disputed.body.revision)).status).toBe('reopened');
    await actOnLatest(agent, body.id, 'resolve', { note: 'Bac vidé et nettoyé' });
    await actOnLatest(dispatcher, body.id, 'close', { note: 'Vérifié sur place' });
    expect((await dispatcher.get(`/api/tickets/${body.id}`)).body.status).toBe('closed');
  });

  it('rejects with a reason and merges a duplicate into its original', async () => {
    const reporter = await citizen(api);
    const [first, second, third] = await Promise.all([reporter.report(), reporter.report(), reporter.report()]);
    for (const t of [first, second, third]) await dispatcher.ticketAt(t.body.id, t.body.revision);
    await actOnLatest(dispatcher, first.body.id, 'reject', { reason: 'already_fixed', note: 'Déjà ramassé' });
    const rejected = await dispatcher.get(`/api/tickets/${first.body.id}`);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejection: { reason: 'already_fixed' } });

    await actOnLatest(dispatcher, third.body.id, 'mark-duplicate', { duplicateOf: second.body.id });
    expect((await dispatcher.get(`/api/tickets/${third.body.id}`)).body).toMatchObject({ status: 'duplicate', duplicateOf: second.body.id });

    const current = await dispatcher.get(`/api/tickets/${second.body.id}`);
    const unknown = await dispatcher.act(second.body.id, 'mark-duplicate', { duplicateOf: 'TNOSUCHTICKET' }, current.body.revision);
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('duplicate.original_not_found');
  });

  it('answers the same Idempotency-Key sent 20 times in parallel with one ticket and identical answers', async () => {
    const reporter = await citizen(api);
    const before = await eventCount(api);
    const key = randomUUID();
    const contact = { name: 'Awa N.', phone: '+237 690 00 00 00' };
    const replies = await Promise.all(Array.from({ length: 20 }, () => reporter.report({ contact }, key)));
    for (const r of replies) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(new Set(replies.map((r) => r.headers.get('etag'))).size).toBe(1);
    // TicketReported + TicketRouted, once.
    expect((await eventCount(api)) - before).toBe(2);
    await dispatcher.ticketAt(replies[0]!.body.id, replies[0]!.body.revision);
    const mine = await reporter.get('/api/me/tickets');
    expect(mine.body.items).toHaveLength(1);
  });

  it('lets one of two dispatchers acting on the same revision win; the other gets 412 with the fresh ETag', async () => {
    const admin = await staff(api, 'admin.soa');
    const reporter = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    const before = await eventCount(api);
    const [a, b] = await Promise.all([
      dispatcher.act(body.id, 'triage', { priority: 'urgent' }, body.revision),
      admin.act(body.id, 'triage', { priority: 'low' }, body.revision),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.body.code).toBe('revision.stale');
    expect(lost.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(lost.body.currentRevision).toBe(won.body.revision);
    expect(lost.headers.get('etag')).toBe(`"${won.body.revision}"`);
    expect((await eventCount(api)) - before).toBe(1);
  });

  it('counts a "me too" once, even sent 20 times in parallel by one citizen', async () => {
    const reporter = await citizen(api);
    const neighbour = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    const replies = await Promise.all(Array.from({ length: 20 }, () => neighbour.act(body.id, 'confirm', {})));
    for (const r of replies) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(replies.filter((r) => r.body.events.length > 0)).toHaveLength(1);
    const seen = await eventually(async () => {
      const r = await neighbour.get(`/api/tickets/${body.id}`);
      return r.body.confirmations === 1 ? r.body : null;
    }, 'the confirmation projected');
    expect(seen.confirmedByMe).toBe(true);
    expect((await neighbour.get('/api/me/confirmations')).body.items.map((c: any) => c.ticketId)).toContain(body.id);

    const own = await reporter.act(body.id, 'confirm', {});
    expect(own.status).toBe(409);
    expect(own.body.code).toBe('ticket.own_report');
  });

  it('assigns only to a team and a field agent of the ticket’s commune', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    const before = await eventCount(api);
    const otherTeam = await dispatcher.act(body.id, 'assign', { teamId: 'dschang-voirie' }, body.revision);
    expect(otherTeam.status).toBe(400);
    expect(otherTeam.body).toMatchObject({ code: 'team.unknown', errors: [{ path: 'body.teamId' }] });
    expect((await dispatcher.act(body.id, 'assign', { teamId: 'no-such-team' }, body.revision)).body.code).toBe('team.unknown');
    const otherAgent = await dispatcher.act(body.id, 'assign', { teamId: 'soa-salubrite', agentId: 'U-agent-dschang' }, body.revision);
    expect(otherAgent.status).toBe(400);
    expect(otherAgent.body).toMatchObject({ code: 'agent.unknown', errors: [{ path: 'body.agentId' }] });
    expect((await dispatcher.act(body.id, 'assign', { teamId: 'soa-salubrite', agentId: 'U-dispatcher-soa' }, body.revision)).body.code).toBe('agent.unknown');
    expect(await eventCount(api)).toBe(before);
  });

  it('answers a retried staff action (same Idempotency-Key) as the first time, appending once', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    const before = await eventCount(api);
    const send = () => dispatcher.post(`/api/tickets/${body.id}/notes`, { text: 'Appelé le chef de quartier', visibility: 'internal' }, { 'if-match': `"${body.revision}"`, 'idempotency-key': `note-${body.id}` });
    const first = await send();
    const retried = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toEqual(first.body);
    expect(retried.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await eventCount(api)) - before).toBe(1);
  });

  it('refuses actions to roles that may not take them', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report();
    await dispatcher.ticketAt(body.id, body.revision);
    const auditor = await staff(api, 'auditor.soa');
    const before = await eventCount(api);

    const refusals = await Promise.all([
      auditor.act(body.id, 'triage', { priority: 'high' }, body.revision),
      auditor.report(),
      reporter.act(body.id, 'triage', { priority: 'high' }, body.revision),
      agent.act(body.id, 'reject', { reason: 'abusive' }, body.revision),
      reporter.act(body.id, 'notes', { text: 'Interne ?', visibility: 'internal' }),
    ]);
    for (const r of refusals) {
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body.code).toBe('ticket.forbidden');
    }
    const notAssigned = await agent.act(body.id, 'start', {}, body.revision);
    expect(notAssigned.status).toBe(409);
    expect(notAssigned.body.code).toBe('ticket.not_assigned');
    expect(await eventCount(api)).toBe(before);
  });
});
