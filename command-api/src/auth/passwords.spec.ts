import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordNeedsRehash, verifyPassword } from './index.js';

describe('passwords', () => {
  it('hashes with argon2id and a fresh salt, and verifies the right password', async () => {
    const hash = await hashPassword('mairie-de-soa-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$|^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(hash).not.toContain('mairie-de-soa-2026');
    expect(await hashPassword('mairie-de-soa-2026')).not.toBe(hash);
    expect(await verifyPassword(hash, 'mairie-de-soa-2026')).toBe(true);
  });

  it('refuses a wrong password, even one differing only in case or spacing', async () => {
    const hash = await hashPassword('mairie-de-soa-2026');
    expect(await verifyPassword(hash, 'Mairie-de-soa-2026')).toBe(false);
    expect(await verifyPassword(hash, 'mairie-de-soa-2026 ')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('refuses passwords too short to protect anything', async () => {
    await expect(hashPassword('short')).rejects.toMatchObject({ code: 'auth.invalid_password', httpStatus: 400 });
    await expect(hashPassword('x'.repeat(257))).rejects.toMatchObject({ code: 'auth.invalid_password' });
  });

  it('flags hashes made with weaker parameters for an upgrade', async () => {
    const weak = await argon2.hash('mairie-de-soa-2026', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(passwordNeedsRehash(weak)).toBe(true);
    expect(passwordNeedsRehash(await hashPassword('mairie-de-soa-2026'))).toBe(false);
  });
});
