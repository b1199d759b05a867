import { hkdfSync, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '@palabre/event-store';
import { crockfordBase32 } from './base32.js';
import { contactSchema, storedContactSchema, type Contact, type ContactInput } from './contact.js';
import { KEY_BYTES, open, seal, unwrapKey, wrapKey } from './envelope.js';
import { VaultError } from './errors.js';

/** Generation of the master key that wraps new data keys; a rotation would bump it and rewrap. */
const MASTER_KEY_VERSION = 1;
const CONTACT = 'contact';
const BIRTH_DATE = 'birth_date';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SUBJECT_ID = /^[A-Za-z0-9._:-]{1,120}$/;

export type StoredContact = Contact | { readonly erased: true };

/**
 * Personal data kept out of the event log. Each subject has its own random AES-256 data key,
 * sealed by the master key; forgetting the subject destroys that key, so the person is gone while
 * the log that mentions their subject id stays immutable and verifiable.
 */
export class Vault {
  private readonly masterKey: Buffer;

  constructor(
    private readonly pool: pg.Pool,
    masterKey: Buffer,
  ) {
    if (masterKey.length !== KEY_BYTES) throw new RangeError(`The vault master key must be ${KEY_BYTES} bytes, got ${masterKey.length}.`);
    this.masterKey = Buffer.from(masterKey);
  }

  /** A fresh subject id: random, so it reveals nothing about the person. */
  newSubjectId(): string {
    return newSubjectId();
  }

  /** Validates, normalises and stores (or replaces) the subject's contact details; returns what was stored. */
  async storeContact(subjectId: string, input: ContactInput): Promise<Contact> {
    checkSubjectId(subjectId);
    const parsed = contactSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new VaultError('vault.invalid_contact', `The contact details are not valid: ${issues.map((i) => `${i.path || 'contact'}: ${i.message}`).join('; ')}.`, issues);
    }
    await this.storeRecord(subjectId, CONTACT, parsed.data);
    return parsed.data;
  }

  /** The contact details, `{ erased: true }` for a forgotten subject, or null when none were stored. */
  async readContact(subjectId: string): Promise<StoredContact | null> {
    const stored = await this.readRecord(subjectId, CONTACT, 'The contact record');
    return stored === null || isErased(stored) ? stored : storedContactSchema.parse(stored.value);
  }

  /** A resident's date of birth (`YYYY-MM-DD`), read from the document an agent checked; what adults-only consultations need. */
  async storeBirthDate(subjectId: string, birthDate: string): Promise<void> {
    if (!ISO_DATE.test(birthDate) || Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`))) throw new VaultError('vault.invalid_birth_date', 'A date of birth is written YYYY-MM-DD.');
    await this.storeRecord(subjectId, BIRTH_DATE, birthDate);
  }

  /** The date of birth, `{ erased: true }` for a forgotten subject, or null when none was recorded. */
  async readBirthDate(subjectId: string): Promise<string | { readonly erased: true } | null> {
    const stored = await this.readRecord(subjectId, BIRTH_DATE, 'The birth date record');
    return stored === null || isErased(stored) ? stored : String(stored.value);
  }

  /** Seals `value` (JSON) under the subject's data key, bound to its subject and kind, replacing what was there. */
  private async storeRecord(subjectId: string, kind: string, value: unknown): Promise<void> {
    checkSubjectId(subjectId);
    await inTransaction(this.pool, async (client) => {
      const dataKey = await this.subjectKey(client, subjectId);
      const sealed = seal(dataKey, Buffer.from(JSON.stringify(value), 'utf8'), recordContext(subjectId, kind));
      dataKey.fill(0);
      await client.query(
        `INSERT INTO vault.records (subject_id, kind, ciphertext, iv, tag) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (subject_id, kind) DO UPDATE
           SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, tag = EXCLUDED.tag, updated_at = now()`,
        [subjectId, kind, sealed.ciphertext, sealed.iv, sealed.tag],
      );
    });
  }

  private async readRecord(subjectId: string, kind: string, what: string): Promise<{ value: unknown } | { erased: true } | null> {
    checkSubjectId(subjectId);
    const { rows } = await this.pool.query<SubjectRow & Partial<RecordRow>>(
      `SELECT s.wrapped_key, s.key_version, s.erased_at, r.ciphertext, r.iv, r.tag
         FROM vault.subjects s
         LEFT JOIN vault.records r ON r.subject_id = s.subject_id AND r.kind = $2
        WHERE s.subject_id = $1`,
      [subjectId, kind],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.erased_at !== null) return { erased: true };
    if (!row.ciphertext || !row.iv || !row.tag) return null;
    const dataKey = this.unwrap(subjectId, row);
    const plaintext = open(dataKey, { ciphertext: row.ciphertext, iv: row.iv, tag: row.tag }, recordContext(subjectId, kind), what);
    dataKey.fill(0);
    return { value: JSON.parse(plaintext.toString('utf8')) as unknown };
  }

  /**
   * A 32-byte key for `purpose`, derived from the subject's data key (HKDF-SHA256); the subject is
   * created on first use. Forgetting the subject destroys it with the data key: what it keyed (a
   * consultation's voter pseudonyms) can then never be linked back.
   */
  async derivedKey(subjectId: string, purpose: string): Promise<Buffer> {
    checkSubjectId(subjectId);
    return inTransaction(this.pool, async (client) => {
      const dataKey = await this.subjectKey(client, subjectId);
      const derived = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `palabre.vault.derived.v1\u0000${purpose}`, 32));
      dataKey.fill(0);
      return derived;
    });
  }

  /** The subject's data key, made on first use; refused once the subject is forgotten. */
  private async subjectKey(client: pg.PoolClient, subjectId: string): Promise<Buffer> {
    const fresh = randomBytes(KEY_BYTES);
    await client.query(
      `INSERT INTO vault.subjects (subject_id, wrapped_key, key_version) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING`,
      [subjectId, wrapKey(this.masterKey, fresh, keyContext(subjectId, MASTER_KEY_VERSION)), MASTER_KEY_VERSION],
    );
    fresh.fill(0);
    const { rows } = await client.query<SubjectRow>(`SELECT wrapped_key, key_version, erased_at FROM vault.subjects WHERE subject_id = $1 FOR UPDATE`, [subjectId]);
    const subject = rows[0]!;
    if (subject.erased_at !== null) {
      throw new VaultError('vault.subject_erased', `Subject ${subjectId} was forgotten; nothing can be stored under that id again.`);
    }
    return this.unwrap(subjectId, subject);
  }

  /**
   * Erases the subject for good: the wrapped data key and every record are deleted, a tombstone
   * remains. Idempotent; forgetting an unknown id leaves a tombstone too, so it can never be reused.
   */
  async forgetSubject(subjectId: string): Promise<void> {
    checkSubjectId(subjectId);
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO vault.subjects (subject_id, wrapped_key, key_version, erased_at) VALUES ($1, NULL, $2, now())
         ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, erased_at = COALESCE(vault.subjects.erased_at, now())`,
        [subjectId, MASTER_KEY_VERSION],
      );
      await client.query(`DELETE FROM vault.records WHERE subject_id = $1`, [subjectId]);
    });
  }

  private unwrap(subjectId: string, subject: SubjectRow): Buffer {
    if (subject.key_version !== MASTER_KEY_VERSION) {
      throw new VaultError('vault.integrity', `Subject ${subjectId} is sealed with master key version ${subject.key_version}; this server holds version ${MASTER_KEY_VERSION}.`);
    }
    return unwrapKey(this.masterKey, subject.wrapped_key!, keyContext(subjectId, subject.key_version));
  }

}

const isErased = (stored: { value: unknown } | { erased: true }): stored is { erased: true } => 'erased' in stored;

interface SubjectRow {
  wrapped_key: Buffer | null;
  key_version: number;
  erased_at: Date | null;
}

interface RecordRow {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

// Authenticated contexts bind every ciphertext to its subject (and kind): rows cannot be swapped.
const keyContext = (subjectId: string, version: number) => `palabre.vault.key.v1\u0000${subjectId}\u0000${version}`;
const recordContext = (subjectId: string, kind: string) => `palabre.vault.record.v1\u0000${subjectId}\u0000${kind}`;

function checkSubjectId(subjectId: string): void {
  if (typeof subjectId !== 'string' || !SUBJECT_ID.test(subjectId)) {
    throw new VaultError('vault.invalid_subject_id', 'A subject id is 1 to 120 letters, digits, dots, dashes, underscores or colons.');
  }
}

/** `S` + 26 Crockford base32 characters (128 random bits), like the API's other readable ids. */
export function newSubjectId(): string {
  return `S${crockfordBase32(randomBytes(16))}`;
}
