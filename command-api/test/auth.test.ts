import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../src/auth/tokens.js';
import { Client, citizen, eventually, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
beforeAll(async () => {
  api = await startTestPalabre();
});
afterAll(async () => {
  await api?.close();
});

const anonymous = () => new Client(api.url);

describe('staff sign-in', () => {
  it('answers a good login with tokens and who the user is', async () => {
    const reply = await anonymous().post('/api/auth/login', { username: 'dispatcher.soa', password: api.demoPassword });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      user: { id: 'U-dispatcher-soa', username: 'dispatcher.soa', role: 'dispatcher', communes: ['soa'] },
    });
    expect(reply.body.expiresIn).toBeGreaterThan(0);
    const national = await anonymous().post('/api/auth/login', { username: 'admin', password: api.demoPassword });
    expect(national.body.user).toMatchObject({ role: 'admin', communes: '*' });
  });

  it('gives one answer for a wrong password and an unknown user', async () => {
    for (const body of [{ username: 'dispatcher.soa', password: 'not-the-password' }, { username: 'nobody.soa', password: api.demoPassword }]) {
      const reply = await anonymous().post('/api/auth/login', body);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body.code).toBe('auth.invalid_credentials');
    }
  });

  it('rotates refresh tokens, and a replayed one ends the whole session', async () => {
    const client = await staff(api, 'agent.soa');
    const first = client.refreshToken!;
    const rotated = await anonymous().post('/api/auth/refresh', { refreshToken: first });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first);
    client.token = rotated.body.accessToken;
    expect((await client.get('/api/tickets')).status).toBe(200);

    const replayed = await anonymous().post('/api/auth/refresh', { refreshToken: first });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('auth.refresh_reused');
    const successor = await anonymous().post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(successor.status).toBe(401);
    expect(successor.body.code).toBe('auth.refresh_invalid');
  });
});

describe('citizen device identity', () => {
  it('is stable for the same device and distinct across devices', async () => {
    const deviceId = `device-${crypto.randomUUID()}`;
    const [a, b, c] = await Promise.all([anonymous().asCitizen(deviceId), anonymous().asCitizen(deviceId), anonymous().asCitizen()]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).not.toContain(deviceId);
  });

  it('refuses a malformed device id', async () => {
    const reply = await anonymous().post('/api/auth/citizen', { deviceId: 'short' });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('validation.failed');
    expect((await anonymous().post('/api/auth/citizen', { deviceId: 'spaces are not allowed' })).status).toBe(400);
  });

  it('refreshes a citizen session to the same citizen', async () => {
    const client = await citizen(api);
    const reply = await anonymous().post('/api/auth/refresh', { refreshToken: client.refreshToken });
    expect(reply.status).toBe(200);
    client.token = reply.body.accessToken;
    const { body } = await client.report();
    const dispatcher = await staff(api, 'dispatcher.soa');
    expect((await dispatcher.ticketAt(body.id, body.revision)).reporter).toEqual({ citizenId: client.citizenId });
  });

  it('keeps citizens out of staff pages', async () => {
    const client = await citizen(api);
    for (const path of ['/api/teams', '/api/agents', '/api/stats?communeId=soa', '/api/admin/staff']) {
      const reply = await client.get(path);
      expect(reply.status, path).toBe(403);
      expect(reply.body.code).toBe('auth.forbidden');
    }
  });
});

describe('access tokens', () => {
  it('answers an expired token with 401 auth.expired', async () => {
    const { jwtSecret, pool } = api.palabre.infra;
    const yesterday = new TokenService({ secret: jwtSecret, pool, now: () => new Date(Date.now() - 86_400_000) });
    const { accessToken } = await yesterday.issueAccess({ sub: 'U-dispatcher-soa', kind: 'staff', role: 'dispatcher', communes: ['soa'] });
    const client = anonymous();
    client.token = accessToken;
    const reply = await client.get('/api/tickets');
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('auth.expired');
    expect(reply.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('answers a forged or garbled token with 401 auth.invalid', async () => {
    const forger = new TokenService({ secret: Buffer.alloc(32, 7), pool: api.palabre.infra.pool });
    const { accessToken } = await forger.issueAccess({ sub: 'U-admin', kind: 'staff', role: 'admin', communes: '*' });
    for (const token of [accessToken, 'not.a.token', `${(await staff(api, 'admin')).token!.slice(0, -3)}abc`]) {
      const client = anonymous();
      client.token = token;
      const reply = await client.get('/api/tickets');
      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe('auth.invalid');
    }
  });
});

describe('staff administration', () => {
  it('creates a user, grants and revokes a role, disables them; the history names every actor', async () => {
    const admin = await staff(api, 'admin.soa');
    const created = await admin.post('/api/admin/staff', { username: 'inspecteur.soa', password: 'un-mot-de-passe-long', communeId: 'soa', role: 'field_agent' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ username: 'inspecteur.soa', communeId: 'soa', status: 'active', grants: [{ role: 'field_agent', communeId: 'soa' }] });
    const userId: string = created.body.id;

    const inspector = await new Client(api.url).login('inspecteur.soa', 'un-mot-de-passe-long');
    expect((await inspector.get('/api/agents')).body.map((a: { username: string }) => a.username)).toContain('inspecteur.soa');

    const granted = await admin.post(`/api/admin/staff/${userId}/roles`, { role: 'dispatcher', communeId: 'soa' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body.events).toEqual(['StaffRoleGranted']);
    const promoted = await new Client(api.url).post('/api/auth/login', { username: 'inspecteur.soa', password: 'un-mot-de-passe-long' });
    expect(promoted.body.user.role).toBe('dispatcher');

    const revoked = await admin.post(`/api/admin/staff/${userId}/roles/revoke`, { role: 'dispatcher', communeId: 'soa' });
    expect(revoked.body.events).toEqual(['StaffRoleRevoked']);
    const notHeld = await admin.post(`/api/admin/staff/${userId}/roles/revoke`, { role: 'dispatcher', communeId: 'soa' });
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.code).toBe('staff.role_not_held');

    const disabled = await admin.post(`/api/admin/staff/${userId}/disable`, { reason: 'A quitté la commune' });
    expect(disabled.body.events).toEqual(['StaffUserDisabled']);
    const login = await new Client(api.url).post('/api/auth/login', { username: 'inspecteur.soa', password: 'un-mot-de-passe-long' });
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('auth.invalid_credentials');
    const refresh = await new Client(api.url).post('/api/auth/refresh', { refreshToken: inspector.refreshToken });
    expect(refresh.status).toBe(401);

    const history = await admin.get(`/api/admin/staff/${userId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((i: { type: string }) => i.type)).toEqual(['StaffUserCreated', 'StaffRoleGranted', 'StaffRoleGranted', 'StaffRoleRevoked', 'StaffUserDisabled']);
    for (const item of history.body.items) expect(item.actor).toEqual({ id: 'U-admin-soa', role: 'admin' });
    expect(history.body.items.at(-1).data.reason).toBe('A quitté la commune');

    const list = await (await staff(api, 'auditor.soa')).get('/api/admin/staff');
    expect(list.body.items.find((a: { id: string }) => a.id === userId)).toMatchObject({ status: 'disabled', grants: [{ role: 'field_agent', communeId: 'soa' }] });
    expect(list.body.items.every((a: { communeId: string }) => a.communeId === 'soa')).toBe(true);

    const enabled = await admin.post(`/api/admin/staff/${userId}/enable`, {});
    expect(enabled.body.events).toEqual(['StaffUserEnabled']);
    await eventually(async () => (await new Client(api.url).post('/api/auth/login', { username: 'inspecteur.soa', password: 'un-mot-de-passe-long' })).status === 200, 'login after enabling');
  });

  it('keeps a commune admin to their commune, and other roles out', async () => {
    const admin = await staff(api, 'admin.soa');
    const elsewhere = await admin.post('/api/admin/staff', { username: 'agent2.dschang', password: 'un-mot-de-passe-long', communeId: 'dschang', role: 'field_agent' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('staff.forbidden');
    expect((await admin.get('/api/admin/staff/U-admin-dschang/history')).status).toBe(404);

    const dispatcher = await staff(api, 'dispatcher.soa');
    const refused = await dispatcher.post('/api/admin/staff', { username: 'intrus.soa', password: 'un-mot-de-passe-long', communeId: 'soa', role: 'admin' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('auth.forbidden');
    const self = await admin.post('/api/admin/staff/U-admin-soa/disable', { reason: 'test' });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('staff.self_disable');
  });

  it('refuses a username already taken without creating a second account', async () => {
    const admin = await staff(api, 'admin.soa');
    const before = (await admin.get('/api/admin/staff')).body.items.length;
    const taken = await admin.post('/api/admin/staff', { username: 'dispatcher.soa', password: 'un-mot-de-passe-long', communeId: 'soa', role: 'admin' });
    expect(taken.status, JSON.stringify(taken.body)).toBe(409);
    expect(taken.body.code).toBe('auth.username_taken');
    expect((await admin.get('/api/admin/staff')).body.items.length).toBe(before);
    // The existing dispatcher kept their own role and password.
    expect((await staff(api, 'dispatcher.soa')).token).toBeTruthy();
  });
});
