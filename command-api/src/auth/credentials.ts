import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { AuthError } from './errors.js';
import { hashPassword, passwordNeedsRehash, verifyPassword } from './passwords.js';

/** Same rule as the domain's staff `usernameSchema`: lower-case dotted names like `dispatcher.soa`. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,59}$/;

export interface CredentialsOptions {
  readonly now?: () => Date;
}

/** Staff passwords, kept out of the event log: the log says who a user is, this table how they sign in. */
export class Credentials {
  private readonly now: () => Date;
  // Verified against when the username is unknown, so both answers take about the same time.
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    options: CredentialsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Sets (or replaces) the user's username and password. */
  async setPassword(userId: string, username: string, password: string): Promise<void> {
    const name = normaliseUsername(username);
    if (!USERNAME.test(name)) {
      throw new AuthError('auth.invalid_username', 'A username has 3 to 60 lower-case letters, digits, dots, dashes or underscores.');
    }
    const hash = await hashPassword(password);
    try {
      await this.pool.query(
        `INSERT INTO auth.credentials (user_id, username, password_hash, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
        [userId, name, hash, this.now()],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AuthError('auth.username_taken', `The username ${name} is already taken.`, { cause: error });
      throw error;
    }
  }

  /** Who holds this username, if anyone. */
  async userIdOf(username: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ user_id: string }>(`SELECT user_id FROM auth.credentials WHERE username = $1`, [normaliseUsername(username)]);
    return rows[0]?.user_id ?? null;
  }

  /** The user id when username and password match, otherwise null (never says which one was wrong). */
  async checkCredentials(username: string, password: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ user_id: string; password_hash: string }>(
      `SELECT user_id, password_hash FROM auth.credentials WHERE username = $1`,
      [normaliseUsername(username)],
    );
    const row = rows[0];
    if (!row) {
      await verifyPassword(await this.dummy(), password);
      return null;
    }
    if (!(await verifyPassword(row.password_hash, password))) return null;
    if (passwordNeedsRehash(row.password_hash)) {
      // Upgrade hashes made with older parameters while we briefly know the password.
      await this.pool.query(`UPDATE auth.credentials SET password_hash = $2, updated_at = $3 WHERE user_id = $1 AND password_hash = $4`, [
        row.user_id,
        await hashPassword(password),
        this.now(),
        row.password_hash,
      ]);
    }
    return row.user_id;
  }

  /** Removes the user's password, e.g. when an account is deleted; their sessions are revoked elsewhere. */
  async removeCredentials(userId: string): Promise<void> {
    await this.pool.query(`DELETE FROM auth.credentials WHERE user_id = $1`, [userId]);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}

const normaliseUsername = (username: string): string => username.trim().toLowerCase();
