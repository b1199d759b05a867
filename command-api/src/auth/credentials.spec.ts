import argon2 from 'argon2';
import pg from 'pg';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Credentials, ensureAuthSchema, passwordNeedsRehash } from './index.js';

let pool: pg.Pool;
let credentials: Credentials;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('auth_credentials'), max: 4 });
  await ensureAuthSchema(pool);
  credentials = new Credentials(pool);
});
afterAll(async () => {
  await pool.end();
});

const storedHash = async (userId: string): Promise<string> =>
  (await pool.query('SELECT password_hash FROM auth.credentials WHERE user_id = $1', [userId])).rows[0].password_hash;

describe('Credentials', () => {
  it('signs a user in with the right username and password', async () => {
    await credentials.setPassword('U-dispatcher-soa', 'dispatcher.soa', 'ndole-et-plantain');
    expect(await credentials.checkCredentials('dispatcher.soa', 'ndole-et-plantain')).toBe('U-dispatcher-soa');
    expect(await credentials.checkCredentials('  Dispatcher.Soa ', 'ndole-et-plantain')).toBe('U-dispatcher-soa');
    expect(await storedHash('U-dispatcher-soa')).not.toContain('ndole');
  });

  it('answers null for a wrong password or an unknown user, alike', async () => {
    await credentials.setPassword('U-agent-dschang', 'agent.dschang', 'pluie-sur-dschang');
    expect(await credentials.checkCredentials('agent.dschang', 'pluie-sur-soa')).toBeNull();
    expect(await credentials.checkCredentials('nobody.here', 'pluie-sur-dschang')).toBeNull();
    expect(await credentials.checkCredentials('nobody.here', 'pluie-sur-dschang')).toBeNull();
  });

  it('replaces the password: the old one stops working', async () => {
    await credentials.setPassword('U-admin', 'admin.soa', 'first-password');
    await credentials.setPassword('U-admin', 'admin.soa', 'second-password');
    expect(await credentials.checkCredentials('admin.soa', 'first-password')).toBeNull();
    expect(await credentials.checkCredentials('admin.soa', 'second-password')).toBe('U-admin');
  });

  it("refuses another user's username and malformed usernames", async () => {
    await credentials.setPassword('U-one', 'auditor.one', 'long-enough-1');
    await expect(credentials.setPassword('U-two', 'auditor.one', 'long-enough-2')).rejects.toMatchObject({ code: 'auth.username_taken', httpStatus: 409 });
    await expect(credentials.setPassword('U-two', 'ab', 'long-enough-2')).rejects.toMatchObject({ code: 'auth.invalid_username' });
    await expect(credentials.setPassword('U-two', 'Jean Dupont', 'long-enough-2')).rejects.toMatchObject({ code: 'auth.invalid_username' });
    await expect(credentials.setPassword('U-two', 'auditor.two', 'short')).rejects.toMatchObject({ code: 'auth.invalid_password' });
  });

  it('upgrades a hash made with weaker parameters at the next sign-in', async () => {
    const weak = await argon2.hash('vieux-mot-de-passe', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await pool.query(`INSERT INTO auth.credentials (user_id, username, password_hash, updated_at) VALUES ('U-old', 'old.timer', $1, now())`, [weak]);
    expect(await credentials.checkCredentials('old.timer', 'vieux-mot-de-passe')).toBe('U-old');
    const upgraded = await storedHash('U-old');
    expect(upgraded).not.toBe(weak);
    expect(passwordNeedsRehash(upgraded)).toBe(false);
    expect(await credentials.checkCredentials('old.timer', 'vieux-mot-de-passe')).toBe('U-old');
  });

  it('forgets a removed user', async () => {
    await credentials.setPassword('U-gone', 'gone.user', 'long-enough-3');
    await credentials.removeCredentials('U-gone');
    expect(await credentials.checkCredentials('gone.user', 'long-enough-3')).toBeNull();
  });
});
