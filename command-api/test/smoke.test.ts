import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, eventually, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
beforeAll(async () => {
  api = await startTestPalabre();
});
afterAll(async () => {
  await api?.close();
});

describe('smoke', () => {
  it('a citizen reports and a Soa dispatcher sees the ticket', async () => {
    const citizen = new Client(api.url);
    await citizen.asCitizen();
    const created = await citizen.report();
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dispatcher = await new Client(api.url).login('dispatcher.soa', api.demoPassword);
    const ticket = await eventually(async () => {
      const r = await dispatcher.get(`/api/tickets/${created.body.id}`);
      return r.status === 200 ? r.body : null;
    }, 'the projected ticket');
    expect(ticket.communeId).toBe('soa');
    expect(ticket.status).toBe('new');
  });
});
