import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureVaultSchema, Vault, VaultError } from '../vault/index.js';
import { BallotPseudonyms, pseudonymSubject } from './pseudonyms.js';

let pool: pg.Pool;
let vault: Vault;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('pseudonyms'), max: 4 });
  await ensureVaultSchema(pool);
  vault = new Vault(pool, randomBytes(32));
});
afterAll(async () => {
  await pool.end();
});

describe('voter pseudonyms under a per-consultation key in the vault', () => {
  it('gives a citizen one pseudonym per consultation, the same from another server process, and another in the next consultation', async () => {
    const pseudonyms = new BallotPseudonyms(vault);
    const first = await pseudonyms.pseudonymFor('market-2027', 'C0000000000000000000000001');
    expect(first).toMatch(/^V[0-9A-Z]{26}$/);
    expect(await pseudonyms.pseudonymFor('market-2027', 'C0000000000000000000000001')).toBe(first);
    expect(await new BallotPseudonyms(vault).pseudonymFor('market-2027', 'C0000000000000000000000001')).toBe(first);
    expect(await pseudonyms.pseudonymFor('market-2027', 'C0000000000000000000000002')).not.toBe(first);
    expect(await pseudonyms.pseudonymFor('budget-2027', 'C0000000000000000000000001')).not.toBe(first);
  });

  it('keeps the key sealed in the vault, never in clear, and makes one key even when many ballots ask at once', async () => {
    const pseudonyms = Array.from({ length: 8 }, () => new BallotPseudonyms(vault));
    const all = await Promise.all(pseudonyms.map((p) => p.pseudonymFor('roads-2027', 'C0000000000000000000000003')));
    expect(new Set(all).size).toBe(1);
    const { rows } = await pool.query('SELECT wrapped_key FROM vault.subjects WHERE subject_id = $1', [pseudonymSubject('roads-2027')]);
    expect(rows).toHaveLength(1);
    expect(rows[0].wrapped_key.length).toBeGreaterThan(32);
  });

  it('cannot make or match a pseudonym once the key is destroyed, in this process or another', async () => {
    const pseudonyms = new BallotPseudonyms(vault);
    await pseudonyms.pseudonymFor('closed-2027', 'C0000000000000000000000004');
    await pseudonyms.destroyKey('closed-2027');
    await expect(pseudonyms.pseudonymFor('closed-2027', 'C0000000000000000000000004')).rejects.toMatchObject({ code: 'vault.subject_erased' });
    await expect(new BallotPseudonyms(vault).pseudonymFor('closed-2027', 'C0000000000000000000000004')).rejects.toBeInstanceOf(VaultError);
    const { rows } = await pool.query('SELECT wrapped_key, erased_at FROM vault.subjects WHERE subject_id = $1', [pseudonymSubject('closed-2027')]);
    expect(rows[0]).toMatchObject({ wrapped_key: null, erased_at: expect.any(Date) });
  });
});
