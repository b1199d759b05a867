import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, citizen, developmentCode, eventCount, eventually, expectProblem as problem, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dispatcher: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  dispatcher = await staff(api, 'dispatcher.soa');
});
afterAll(async () => {
  await api?.close();
});

const lastCodeFor = (e164: string) => developmentCode(dispatcher, e164);

/** A fresh Cameroonian mobile number per test, so the per-number limits of one test do not touch another. */
let next = 100_000;
const freshNumber = () => {
  const national = `677${String(next++).padStart(6, '0')}`;
  return { typed: `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5, 7)} ${national.slice(7)}`, e164: `+237${national}` };
};


describe('a citizen verifies a phone number with a code sent by SMS', () => {
  it('starts at the device level, and reaches the phone level with the right code', async () => {
    const resident = await citizen(api);
    expect((await resident.get('/api/citizens/me')).body).toEqual({ id: resident.citizenId, level: 'device', residence: null });
    const number = freshNumber();
    const sent = await resident.post('/api/citizens/me/phone', { phone: number.typed });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ sentTo: '+237 ••••••' + number.e164.slice(-3), resendAfterSeconds: 60 });
    const code = await lastCodeFor(number.e164);
    const verified = await resident.post('/api/citizens/me/phone/verify', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ id: resident.citizenId, level: 'phone', recovered: false });
    expect((await resident.get('/api/citizens/me')).body.level).toBe('phone');

    // The log holds a keyed digest of the number, never the number or the code.
    const events = await api.palabre.infra.store.readStream(`citizen-${resident.citizenId}`);
    expect(events.map((e) => e.type)).toEqual(['PhoneVerified']);
    const logged = JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    expect(logged).not.toContain(number.e164.slice(4));
    expect(logged).not.toContain(code);
    // Used once: the same code again is refused.
    problem(await resident.post('/api/citizens/me/phone/verify', { code }), 409, 'phone.code_used');
  });

  it('recovers the citizen on a new phone that proves the same number: same id, same reports', async () => {
    const first = await citizen(api);
    const number = freshNumber();
    await first.post('/api/citizens/me/phone', { phone: number.typed });
    await first.post('/api/citizens/me/phone/verify', { code: await lastCodeFor(number.e164) });
    const reported = await first.report({ description: 'Lampadaire éteint depuis une semaine' });
    expect(reported.status).toBe(201);

    const newPhoneDevice = `device-${randomUUID()}`;
    const second = new Client(api.url);
    const secondId = await second.asCitizen(newPhoneDevice);
    expect(secondId).not.toBe(first.citizenId);
    // A minute later, as the limits require.
    await api.palabre.infra.pool.query("UPDATE auth.phone_codes SET issued_at = issued_at - interval '2 minutes'");
    expect((await second.post('/api/citizens/me/phone', { phone: number.e164 })).status).toBe(202);
    const recovered = await second.post('/api/citizens/me/phone/verify', { code: await lastCodeFor(number.e164) });
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ id: first.citizenId, level: 'phone', recovered: true, accessToken: expect.any(String) });
    second.token = recovered.body.accessToken;
    expect((await second.get('/api/citizens/me')).body.id).toBe(first.citizenId);
    // The report made on the first phone is the new phone's too.
    await eventually(async () => {
      const mine = await second.get('/api/me/tickets');
      return mine.status === 200 && JSON.stringify(mine.body).includes(reported.body.id);
    }, 'the first phone\'s report on the new phone');

    // The new phone's own device id now opens the recovered citizen's session after a restart of the app.
    const again = new Client(api.url);
    expect(await again.asCitizen(newPhoneDevice)).toBe(first.citizenId);
    const events = await api.palabre.infra.store.readStream(`citizen-${first.citizenId}`);
    expect(events.map((e) => e.type)).toEqual(['PhoneVerified', 'DeviceLinked']);
  });
});

describe('bad codes, floods and wrong numbers are typed errors that change nothing', () => {
  it('refuses numbers that cannot take an SMS, naming the field', async () => {
    const resident = await citizen(api);
    for (const [phone, code] of [
      ['six sept sept', 'phone.not_a_number'],
      ['677 12 34', 'phone.wrong_length'],
      ['222 12 34 56', 'phone.not_mobile'],
      ['+33 6 12 34 56 78', 'phone.unknown_country'],
    ] as const) {
      const reply = await resident.post('/api/citizens/me/phone', { phone });
      problem(reply, 400, code);
      expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'body.phone' })]);
    }
    problem(await resident.post('/api/citizens/me/phone', { phone: '677123456', extra: true }), 400, 'validation.failed');
    problem(await resident.post('/api/citizens/me/phone/verify', { code: '12ab56' }), 400, 'phone.code_malformed');
    problem(await resident.post('/api/citizens/me/phone/verify', { code: '123456' }), 409, 'phone.no_code');
  });

  it('counts wrong codes and stops after five; an expired code is refused', async () => {
    const resident = await citizen(api);
    const number = freshNumber();
    await resident.post('/api/citizens/me/phone', { phone: number.typed });
    const code = await lastCodeFor(number.e164);
    const wrong = code === '000000' ? '111111' : '000000';
    const before = await eventCount(api);
    for (let i = 1; i <= 5; i++) {
      const reply = await resident.post('/api/citizens/me/phone/verify', { code: wrong });
      problem(reply, 400, 'phone.code_wrong');
      expect(reply.body.detail).toContain(`${5 - i} `);
    }
    problem(await resident.post('/api/citizens/me/phone/verify', { code }), 429, 'phone.too_many_attempts');
    expect(await eventCount(api)).toBe(before);

    const other = await citizen(api);
    const second = freshNumber();
    await other.post('/api/citizens/me/phone', { phone: second.typed });
    const fresh = await lastCodeFor(second.e164);
    await api.palabre.infra.pool.query("UPDATE auth.phone_codes SET issued_at = issued_at - interval '11 minutes' WHERE citizen_id = $1", [other.citizenId]);
    problem(await other.post('/api/citizens/me/phone/verify', { code: fresh }), 400, 'phone.code_expired');
    expect((await other.get('/api/citizens/me')).body.level).toBe('device');
  });

  it('throttles codes to one number and from one device, and says when to come back', async () => {
    const resident = await citizen(api);
    const number = freshNumber();
    expect((await resident.post('/api/citizens/me/phone', { phone: number.typed })).status).toBe(202);
    const soon = await resident.post('/api/citizens/me/phone', { phone: number.typed });
    problem(soon, 429, 'phone.code_too_soon');
    expect(Number(soon.headers.get('retry-after'))).toBeGreaterThan(0);

    // Twenty requests at once for one number from twenty devices: one code goes out.
    const number2 = freshNumber();
    const devices = await Promise.all(Array.from({ length: 20 }, () => citizen(api)));
    const replies = await Promise.all(devices.map((d) => d.post('/api/citizens/me/phone', { phone: number2.typed })));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    for (const r of replies.filter((r) => r.status !== 202)) problem(r, 429, 'phone.code_too_soon');

    // One device asking for many numbers is stopped at five an hour.
    const flooder = await citizen(api);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await flooder.post('/api/citizens/me/phone', { phone: freshNumber().typed })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('keeps these routes for citizens, and the development messages for staff', async () => {
    problem(await dispatcher.get('/api/citizens/me'), 403, 'auth.forbidden');
    problem(await new Client(api.url).get('/api/citizens/me'), 401, 'auth.required');
    const resident = await citizen(api);
    problem(await resident.get('/api/sms/development'), 403, 'auth.forbidden');
  });
});

describe('an agent checks a resident identity document in person', () => {
  it('raises the resident to in_person, keeps one document for one resident, and lists a second claim for an admin', async () => {
    const agent = await staff(api, 'agent.soa');
    const resident = await citizen(api);
    const checked = await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'ab 1234-5678', quartierId: 'soa-centre' });
    expect(checked.status).toBe(201);
    expect(checked.body).toEqual({ id: resident.citizenId, level: 'in_person', censusMatch: false });
    expect((await resident.get('/api/citizens/me')).body.level).toBe('in_person');
    // The same check again changes nothing.
    const before = await eventCount(api);
    expect((await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB12345678', quartierId: 'soa-centre' })).status).toBe(201);
    expect(await eventCount(api)).toBe(before);
    const logged = JSON.stringify(await api.palabre.infra.store.readStream(`citizen-${resident.citizenId}`), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(logged).not.toContain('12345678');

    // Another account shows the same document (written differently): refused, nothing appended, listed for the admin.
    const impostor = await citizen(api);
    problem(await agent.post(`/api/citizens/${impostor.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB-1234 5678' }), 409, 'citizen.document_in_use');
    expect(await eventCount(api)).toBe(before);
    expect((await impostor.get('/api/citizens/me')).body.level).toBe('device');
    const admin = await staff(api, 'admin.soa');
    const listed = await admin.get('/api/citizens/identity-conflicts');
    expect(listed.status).toBe(200);
    expect(listed.body.conflicts[0]).toMatchObject({ holderId: resident.citizenId, claimantId: impostor.citizenId, communeId: 'soa', agentId: 'U-agent-soa' });
    // Dschang's admin does not see Soa's.
    expect((await (await staff(api, 'admin.dschang')).get('/api/citizens/identity-conflicts')).body.conflicts).toEqual([]);
    problem(await agent.get('/api/citizens/identity-conflicts'), 403, 'auth.forbidden');

    // The verified resident with another document: refused until an admin withdraws the first check.
    problem(await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'ZZ999999' }), 409, 'citizen.other_document');

    // The admin finds the document was the impostor's: withdraws the check, and the impostor can be verified with it.
    problem(await agent.post(`/api/citizens/${resident.citizenId}/verifications/revoke`, { reason: 'Pièce prêtée' }), 403, 'auth.forbidden');
    problem(await admin.post(`/api/citizens/${resident.citizenId}/verifications/revoke`, {}), 400, 'validation.failed');
    const withdrawn = await admin.post(`/api/citizens/${resident.citizenId}/verifications/revoke`, { reason: 'Pièce prêtée par son voisin' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({ id: resident.citizenId, level: 'device' });
    problem(await admin.post(`/api/citizens/${resident.citizenId}/verifications/revoke`, { reason: 'Encore une fois' }), 409, 'citizen.not_verified_in_person');
    expect((await agent.post(`/api/citizens/${impostor.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB12345678' })).body.level).toBe('in_person');
  });

  it("matches the check against the commune's census list, whose numbers it keeps only as digests", async () => {
    const admin = await staff(api, 'admin.soa');
    const csv = 'documentNumber,quartierId\nCM 1000 2000,soa-ebogo\nCM10002001\n\n';
    const imported = await admin.request('PUT', '/api/communes/soa/census', { raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ communeId: 'soa', entries: 2 });
    expect((await admin.get('/api/communes/soa/census')).body).toMatchObject({ entries: 2, importedAt: expect.any(String) });
    const { rows } = await api.palabre.infra.pool.query<{ text: string }>("SELECT string_agg(document_digest || coalesce(quartier_id, ''), ',') AS text FROM auth.census WHERE commune_id = 'soa'");
    expect(rows[0]!.text).not.toMatch(/1000|2000/);

    // On the list: matched, and the resident's quartier is the list's when the agent gives none.
    const agent = await staff(api, 'agent.soa');
    const listed = await citizen(api);
    const checked = await agent.post(`/api/citizens/${listed.citizenId}/verifications`, { method: 'in_person', documentNumber: 'CM-1000-2000' });
    expect(checked.body).toMatchObject({ level: 'in_person', censusMatch: true });
    expect((await listed.get('/api/citizens/me')).body.residence).toEqual({ communeId: 'soa', quartierId: 'soa-ebogo', checked: true });
    const unlisted = await citizen(api);
    expect((await agent.post(`/api/citizens/${unlisted.citizenId}/verifications`, { method: 'in_person', documentNumber: 'CM77777777' })).body.censusMatch).toBe(false);

    // Bad lists change nothing: the field (the line) and the reason.
    const refusals: [string, string | undefined, number, string][] = [
      ['CM1000,atlantis', 'text/csv', 400, 'census.unknown_quartier'],
      ['x!,soa-centre', 'text/csv', 400, 'census.bad_document'],
      ['documentNumber,quartierId\n', 'text/csv', 400, 'census.empty'],
      ['CM10002000', 'application/octet-stream', 415, 'census.not_csv'],
      ['not json', 'application/json', 400, 'body.malformed_json'],
    ];
    for (const [body, type, status, code] of refusals) {
      const reply = await admin.request('PUT', '/api/communes/soa/census', { raw: body, headers: type ? { 'content-type': type } : {} });
      expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
    }
    expect((await admin.get('/api/communes/soa/census')).body.entries).toBe(2);
    problem(await agent.request('PUT', '/api/communes/soa/census', { raw: 'CM10002000', headers: { 'content-type': 'text/csv' } }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'admin.dschang')).request('PUT', '/api/communes/soa/census', { raw: 'CM10002000', headers: { 'content-type': 'text/csv' } }), 403, 'auth.forbidden');
  });

  it('refuses bad requests with the field and the reason, and changes nothing', async () => {
    const agent = await staff(api, 'agent.soa');
    const resident = await citizen(api);
    const before = await eventCount(api);
    problem(await agent.post('/api/citizens/not-a-citizen/verifications', { method: 'in_person', documentNumber: 'AB123456' }), 400, 'validation.failed');
    const short = await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'A1' });
    problem(short, 400, 'validation.failed');
    expect(short.body.errors[0].path).toBe('body.documentNumber');
    problem(await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'remote', documentNumber: 'AB123456' }), 400, 'validation.failed');
    const elsewhere = await agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB123456', quartierId: 'dschang-foreke' });
    problem(elsewhere, 400, 'citizen.unknown_quartier');
    expect(elsewhere.body.errors[0].path).toBe('body.quartierId');
    problem(await resident.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB123456' }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'admin')).post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB123456' }), 403, 'citizen.commune_required');
    problem(await (await staff(api, 'auditor.soa')).post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: 'AB123456' }), 403, 'auth.forbidden');
    expect(await eventCount(api)).toBe(before);
  });
});
