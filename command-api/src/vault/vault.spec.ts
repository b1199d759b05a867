import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureVaultSchema, newSubjectId, Vault, VaultError } from './index.js';

let pool: pg.Pool;
const masterKey = randomBytes(32);
let vault: Vault;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('vault'), max: 4 });
  await ensureVaultSchema(pool);
  vault = new Vault(pool, masterKey);
});
afterAll(async () => {
  await pool.end();
});

const amina = { name: 'Amina Ngo Bassong', phone: '6 77 12 34 56', email: 'amina@example.cm' };

async function rawRows(subjectId: string) {
  const subject = await pool.query('SELECT * FROM vault.subjects WHERE subject_id = $1', [subjectId]);
  const records = await pool.query('SELECT * FROM vault.records WHERE subject_id = $1', [subjectId]);
  return { subject: subject.rows[0], records: records.rows };
}

describe('Vault', () => {
  it('keeps a date of birth sealed like a contact, refuses one not written YYYY-MM-DD, and forgets it with the subject', async () => {
    const subject = 'C0000000000000000000000BD1';
    expect(await vault.readBirthDate(subject)).toBeNull();
    await vault.storeBirthDate(subject, '1990-06-15');
    expect(await vault.readBirthDate(subject)).toBe('1990-06-15');
    const { rows } = await pool.query<{ ciphertext: Buffer }>("SELECT ciphertext FROM vault.records WHERE subject_id = $1 AND kind = 'birth_date'", [subject]);
    expect(rows[0]!.ciphertext.toString('latin1')).not.toContain('1990');
    await expect(vault.storeBirthDate(subject, '15/06/1990')).rejects.toMatchObject({ code: 'vault.invalid_birth_date' });
    await expect(vault.storeBirthDate(subject, '1990-02-31x')).rejects.toMatchObject({ code: 'vault.invalid_birth_date' });
    await vault.forgetSubject(subject);
    expect(await vault.readBirthDate(subject)).toEqual({ erased: true });
  });

  it('creates its schema idempotently, even from concurrent starts', async () => {
    await Promise.all([ensureVaultSchema(pool), ensureVaultSchema(pool), ensureVaultSchema(pool)]);
    const { rows } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'vault' ORDER BY 1`);
    expect(rows.map((r) => r.table_name)).toEqual(['records', 'subjects']);
  });

  it('gives back the contact details it stored, phone normalised', async () => {
    const subjectId = vault.newSubjectId();
    const stored = await vault.storeContact(subjectId, amina);
    expect(stored).toEqual({ name: 'Amina Ngo Bassong', phone: '+237677123456', email: 'amina@example.cm' });
    expect(await vault.readContact(subjectId)).toEqual(stored);
  });

  it('replaces the details when the same subject is stored again (a retried report)', async () => {
    const subjectId = newSubjectId();
    await vault.storeContact(subjectId, { phone: '699 00 11 22' });
    await vault.storeContact(subjectId, { name: 'Paul', phone: '+237 699 00 11 23' });
    expect(await vault.readContact(subjectId)).toEqual({ name: 'Paul', phone: '+237699001123' });
    expect((await rawRows(subjectId)).records).toHaveLength(1);
  });

  it('keeps no readable personal data in the tables', async () => {
    const subjectId = newSubjectId();
    await vault.storeContact(subjectId, amina);
    const { subject, records } = await rawRows(subjectId);
    const everything = Buffer.concat([subject.wrapped_key, ...records.flatMap((r) => [r.ciphertext, r.iv, r.tag])]);
    for (const secret of ['Amina', 'Bassong', '677123456', '77 12 34 56', 'amina@example.cm', 'example']) {
      expect(everything.includes(secret)).toBe(false);
    }
    expect(subject.wrapped_key.includes(masterKey)).toBe(false);
  });

  it('answers null for a subject it never saw', async () => {
    expect(await vault.readContact(newSubjectId())).toBeNull();
  });

  it('fails loudly when a ciphertext was altered', async () => {
    const subjectId = newSubjectId();
    await vault.storeContact(subjectId, amina);
    await pool.query(`UPDATE vault.records SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1) WHERE subject_id = $1`, [subjectId]);
    await expect(vault.readContact(subjectId)).rejects.toMatchObject({ name: 'VaultError', code: 'vault.integrity' });
  });

  it("refuses a record moved under another subject's id", async () => {
    const [alice, bob] = [newSubjectId(), newSubjectId()];
    await vault.storeContact(alice, { name: 'Alice' });
    await vault.storeContact(bob, { name: 'Bob' });
    // Give Bob Alice's data key and record: decryptable bytes, wrong subject.
    await pool.query(`UPDATE vault.subjects SET wrapped_key = (SELECT wrapped_key FROM vault.subjects WHERE subject_id = $1) WHERE subject_id = $2`, [alice, bob]);
    await expect(vault.readContact(bob)).rejects.toMatchObject({ code: 'vault.integrity' });
  });

  it('cannot read anything with another master key', async () => {
    const subjectId = newSubjectId();
    await vault.storeContact(subjectId, amina);
    const intruder = new Vault(pool, randomBytes(32));
    await expect(intruder.readContact(subjectId)).rejects.toBeInstanceOf(VaultError);
    await expect(intruder.readContact(subjectId)).rejects.toMatchObject({ code: 'vault.integrity' });
    await expect(intruder.storeContact(subjectId, { name: 'Overwrite' })).rejects.toMatchObject({ code: 'vault.integrity' });
    expect(await vault.readContact(subjectId)).toMatchObject({ name: amina.name });
  });

  it('forgets a subject for good: key and ciphertext deleted, a tombstone remains', async () => {
    const subjectId = newSubjectId();
    await vault.storeContact(subjectId, amina);
    await vault.forgetSubject(subjectId);

    expect(await vault.readContact(subjectId)).toEqual({ erased: true });
    expect(await new Vault(pool, masterKey).readContact(subjectId)).toEqual({ erased: true });
    const { subject, records } = await rawRows(subjectId);
    expect(subject).toMatchObject({ subject_id: subjectId, wrapped_key: null });
    expect(subject.erased_at).toBeInstanceOf(Date);
    expect(records).toEqual([]);

    await expect(vault.storeContact(subjectId, amina)).rejects.toMatchObject({ code: 'vault.subject_erased', httpStatus: 409 });
    await vault.forgetSubject(subjectId);
    expect(await vault.readContact(subjectId)).toEqual({ erased: true });
  });

  it('forgetting an unknown subject reserves its id as erased', async () => {
    const subjectId = newSubjectId();
    await vault.forgetSubject(subjectId);
    expect(await vault.readContact(subjectId)).toEqual({ erased: true });
  });

  it('refuses invalid contact details, naming each field', async () => {
    const error = await vault.storeContact(newSubjectId(), { name: 'x'.repeat(121), phone: '12', email: 'not-an-email' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'vault.invalid_contact', httpStatus: 400 });
    expect((error as VaultError).issues.map((i) => i.path).sort()).toEqual(['email', 'name', 'phone']);
    await expect(vault.storeContact(newSubjectId(), {})).rejects.toMatchObject({ code: 'vault.invalid_contact' });
  });

  it('refuses malformed subject ids', async () => {
    await expect(vault.readContact("x'; DROP TABLE vault.subjects; --")).rejects.toMatchObject({ code: 'vault.invalid_subject_id' });
    await expect(vault.forgetSubject('')).rejects.toMatchObject({ code: 'vault.invalid_subject_id' });
  });

  it('makes subject ids that are random and carry nothing about the person', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newSubjectId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^S[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('refuses a master key of the wrong size', () => {
    expect(() => new Vault(pool, randomBytes(16))).toThrow(RangeError);
  });
});
