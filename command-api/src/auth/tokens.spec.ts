import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import pg from 'pg';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ensureAuthSchema, loadJwtSecret, TokenService, type AccessClaims, type RefreshSubject } from './index.js';

let pool: pg.Pool;
const secret = randomBytes(32);
let now: Date;
let tokens: TokenService;

const dispatcher: AccessClaims = { sub: 'U-dispatcher-soa', kind: 'staff', role: 'dispatcher', communes: ['soa'] };
const citizen: AccessClaims = { sub: 'C0123456789ABCDEFGHJKMNPQRS', kind: 'citizen', role: 'citizen', communes: '*' };
const sameClaims = (claims: AccessClaims) => async (subject: RefreshSubject) => (subject.sub === claims.sub ? claims : null);
const minutes = (n: number) => n * 60_000;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('auth_tokens'), max: 4 });
  await ensureAuthSchema(pool);
  await ensureAuthSchema(pool);
});
afterAll(async () => {
  await pool.end();
});
beforeEach(() => {
  now = new Date('2026-11-23T08:00:00Z');
  tokens = new TokenService({ secret, pool, now: () => now });
});

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('access tokens', () => {
  it('carry the subject, kind, role and communes', async () => {
    const { accessToken, accessExpiresAt } = await tokens.issueAccess(dispatcher);
    expect(accessExpiresAt).toEqual(new Date('2026-11-23T08:15:00Z'));
    expect(await tokens.verifyAccess(accessToken)).toEqual(dispatcher);
    expect(await tokens.verifyAccess((await tokens.issueAccess(citizen)).accessToken)).toEqual(citizen);
  });

  it('expire after 15 minutes', async () => {
    const { accessToken } = await tokens.issueAccess(dispatcher);
    advance(minutes(14) + 59_000);
    expect(await tokens.verifyAccess(accessToken)).toEqual(dispatcher);
    advance(1_000);
    expect(await refusal(tokens.verifyAccess(accessToken))).toMatchObject({ code: 'auth.token_expired', httpStatus: 401 });
  });

  it('are refused when their claims were altered', async () => {
    const { accessToken } = await tokens.issueAccess(dispatcher);
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', communes: '*' })).toString('base64url');
    expect(await refusal(tokens.verifyAccess(`${header}.${forged}.${signature}`))).toMatchObject({ code: 'auth.token_invalid' });
  });

  it('are refused when signed with another secret, unsigned, or not a token at all', async () => {
    const other = new TokenService({ secret: randomBytes(32), pool, now: () => now });
    const { accessToken } = await other.issueAccess(dispatcher);
    expect((await refusal(tokens.verifyAccess(accessToken))).code).toBe('auth.token_invalid');

    const [, payload] = (await tokens.issueAccess(dispatcher)).accessToken.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expect((await refusal(tokens.verifyAccess(unsigned))).code).toBe('auth.token_invalid');
    expect((await refusal(tokens.verifyAccess('not-a-token'))).code).toBe('auth.token_invalid');
  });

  it('are refused when validly signed but not an access token of ours', async () => {
    const iat = Math.floor(now.getTime() / 1000);
    const idToken = await new SignJWT({ kind: 'staff', role: 'admin', communes: '*' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('U-x')
      .setIssuer('palabre')
      .setAudience('palabre-api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(secret);
    expect((await refusal(tokens.verifyAccess(idToken))).code).toBe('auth.token_invalid');

    const wrongShape = await new SignJWT({ kind: 'citizen', role: 'admin', communes: '*' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('C-x')
      .setIssuer('palabre')
      .setAudience('palabre-api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(secret);
    expect((await refusal(tokens.verifyAccess(wrongShape))).code).toBe('auth.token_invalid');
  });

  it('are never issued for inconsistent claims', async () => {
    await expect(tokens.issueAccess({ ...citizen, role: 'admin' } as unknown as AccessClaims)).rejects.toThrow();
  });
});

describe('refresh tokens', () => {
  it('are opaque and stored only as a hash', async () => {
    const session = await tokens.startSession(dispatcher);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.refreshExpiresAt).toEqual(new Date('2026-12-23T08:00:00Z'));
    const { rows } = await pool.query('SELECT token_hash FROM auth.refresh_tokens WHERE subject = $1', [dispatcher.sub]);
    expect(rows.map((r) => r.token_hash)).toContainEqual(createHash('sha256').update(session.refreshToken).digest());
    const dump = JSON.stringify((await pool.query('SELECT * FROM auth.refresh_tokens')).rows);
    expect(dump).not.toContain(session.refreshToken);
  });

  it('rotate on use: a new pair each time, with the claims the subject has now', async () => {
    const first = await tokens.startSession(dispatcher);
    advance(minutes(20));
    const promoted: AccessClaims = { ...dispatcher, role: 'admin' };
    const second = await tokens.refresh(first.refreshToken, sameClaims(promoted));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await tokens.verifyAccess(second.accessToken)).toEqual(promoted);
    const third = await tokens.refresh(second.refreshToken, sameClaims(promoted));
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('used twice, revoke the whole family: the thief and the client both sign in again', async () => {
    const first = await tokens.startSession(citizen);
    const second = await tokens.refresh(first.refreshToken, sameClaims(citizen));

    expect(await refusal(tokens.refresh(first.refreshToken, sameClaims(citizen)))).toMatchObject({ code: 'auth.refresh_reused', httpStatus: 401 });
    expect((await refusal(tokens.refresh(second.refreshToken, sameClaims(citizen)))).code).toBe('auth.refresh_invalid');
  });

  it('leave other sessions of the same subject alone when one family is revoked', async () => {
    const phone = await tokens.startSession(citizen);
    const tablet = await tokens.startSession(citizen);
    await tokens.refresh(phone.refreshToken, sameClaims(citizen));
    await refusal(tokens.refresh(phone.refreshToken, sameClaims(citizen)));
    await expect(tokens.refresh(tablet.refreshToken, sameClaims(citizen))).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it('expire after 30 days', async () => {
    const session = await tokens.startSession(dispatcher);
    advance(30 * 24 * 60 * minutes(1));
    expect((await refusal(tokens.refresh(session.refreshToken, sameClaims(dispatcher)))).code).toBe('auth.refresh_expired');
  });

  it('end the session when the account may no longer sign in', async () => {
    const session = await tokens.startSession(dispatcher);
    expect((await refusal(tokens.refresh(session.refreshToken, async () => null))).code).toBe('auth.account_inactive');
    expect((await refusal(tokens.refresh(session.refreshToken, sameClaims(dispatcher)))).code).toBe('auth.refresh_invalid');
  });

  it('refuse unknown tokens', async () => {
    expect((await refusal(tokens.refresh(randomBytes(32).toString('base64url'), sameClaims(dispatcher)))).code).toBe('auth.refresh_invalid');
  });

  it('stop working after sign-out, or after all sessions of a subject are revoked', async () => {
    const session = await tokens.startSession(dispatcher);
    await tokens.revoke(session.refreshToken);
    expect((await refusal(tokens.refresh(session.refreshToken, sameClaims(dispatcher)))).code).toBe('auth.refresh_invalid');

    const staff: AccessClaims = { ...dispatcher, sub: 'U-field-agent-dschang', role: 'field_agent', communes: ['dschang'] };
    const a = await tokens.startSession(staff);
    const b = await tokens.startSession(staff);
    await tokens.revokeAllFor(staff.sub);
    for (const s of [a, b]) expect((await refusal(tokens.refresh(s.refreshToken, sameClaims(staff)))).code).toBe('auth.refresh_invalid');
  });

  it('are purged a while after they expire', async () => {
    const subject: AccessClaims = { ...citizen, sub: 'C-purge-me' };
    await tokens.startSession(subject);
    advance(minutes(60 * 24 * 40));
    expect(await tokens.purgeExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query('SELECT 1 FROM auth.refresh_tokens WHERE subject = $1', [subject.sub]);
    expect(rows).toEqual([]);
  });
});

describe('loadJwtSecret', () => {
  it('generates a secret file readable by its owner only, then keeps using it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palabre-jwt-'));
    try {
      const fallbackFile = join(dir, 'jwt.key');
      const first = loadJwtSecret({ env: undefined, fallbackFile });
      expect(first.byteLength).toBeGreaterThanOrEqual(32);
      expect(statSync(fallbackFile).mode & 0o777).toBe(0o600);
      expect(loadJwtSecret({ env: undefined, fallbackFile })).toEqual(first);
      expect(() => loadJwtSecret({ env: 'too-short', fallbackFile })).toThrow(/PALABRE_JWT_SECRET/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
