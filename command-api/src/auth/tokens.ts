import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as jose, jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';
import { inTransaction } from '@palabre/event-store';
import { loadKey, type LoadKeyOptions } from '../vault/keys.js';
import { accessClaimsSchema, type AccessClaims, type PrincipalKind } from './claims.js';
import { AuthError } from './errors.js';

const ISSUER = 'palabre';
const AUDIENCE = 'palabre-api';
/** RFC 9068 access-token type: a token of another kind signed with the same secret is refused. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const REFRESH_TOKEN_BYTES = 32;

/** The HS256 signing secret: `PALABRE_JWT_SECRET` (hex or base64, 32 to 128 bytes) or a generated key file. */
export function loadJwtSecret(options: LoadKeyOptions): Buffer {
  return loadKey({ variable: 'PALABRE_JWT_SECRET', minBytes: 32, maxBytes: 128, generateBytes: 32 }, options);
}

export interface TokenServiceOptions {
  readonly secret: Uint8Array;
  readonly pool: pg.Pool;
  /** The clock; injected so tests move time instead of waiting. */
  readonly now?: () => Date;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
}

export interface AccessToken {
  readonly accessToken: string;
  readonly accessExpiresAt: Date;
}

export interface Session extends AccessToken {
  /** Opaque; shown once to the client, stored only as a hash. */
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
}

/** Verified access tokens remembered at most (a few MB): every active device and console of a commune. */
const VERIFIED_TOKENS_KEPT = 20_000;

/** Whose refresh token this is; the caller looks up what they may do today. */
export interface RefreshSubject {
  readonly sub: string;
  readonly kind: PrincipalKind;
}

/**
 * Short-lived signed access tokens (15 minutes) and long-lived opaque refresh tokens (30 days)
 * that rotate on every use; a spent refresh token presented again revokes its whole family.
 */
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly pool: pg.Pool;
  private readonly now: () => Date;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;

  constructor(options: TokenServiceOptions) {
    if (options.secret.byteLength < 32) throw new RangeError('The token secret must be at least 32 bytes (HS256).');
    this.secret = Uint8Array.from(options.secret);
    this.pool = options.pool;
    this.now = options.now ?? (() => new Date());
    this.accessTtlSeconds = options.accessTtlSeconds ?? 15 * 60;
    this.refreshTtlSeconds = options.refreshTtlSeconds ?? 30 * 24 * 60 * 60;
  }

  async issueAccess(claims: AccessClaims): Promise<AccessToken> {
    const { sub, kind, role, communes } = accessClaimsSchema.parse(claims);
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.accessTtlSeconds;
    const accessToken = await new SignJWT({ kind, role, communes })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.secret);
    return { accessToken, accessExpiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * Tokens whose signature and claims were already checked, with their expiry: a phone or a console
   * sends the same token with every request for up to 15 minutes, and an HMAC check through
   * WebCrypto costs more than the rest of a report's handling. Bounded; the oldest entry goes first.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  /** The bearer's claims, or an AuthError: `auth.token_expired` or `auth.token_invalid`. */
  async verifyAccess(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (this.now().getTime() < known.expiresAtMs) return known.claims;
      this.verified.delete(token);
    }
    const { claims, exp } = await this.verifyAccessSignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { claims, expiresAtMs: exp * 1000 });
    return claims;
  }

  private async verifyAccessSignature(token: string): Promise<{ claims: AccessClaims; exp: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof jose.JWTExpired) throw new AuthError('auth.token_expired', 'The access token has expired; refresh it.', { cause: error });
      throw new AuthError('auth.token_invalid', 'The access token is not valid.', { cause: error });
    }
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthError('auth.token_invalid', 'The access token does not carry valid Palabre claims.');
    return { claims: claims.data, exp: payload.exp! };
  }

  /** A sign-in: an access token and the first refresh token of a new family. */
  async startSession(claims: AccessClaims): Promise<Session> {
    const access = await this.issueAccess(claims);
    const refresh = await this.insertRefreshToken(this.pool, randomUUID(), claims);
    return { ...access, ...refresh };
  }

  /**
   * Exchanges a refresh token for a new session. `currentClaims` says what the subject may do now
   * (roles change, accounts get disabled); null ends the family with `auth.account_inactive`.
   */
  async refresh(refreshToken: string, currentClaims: (subject: RefreshSubject) => Promise<AccessClaims | null>): Promise<Session> {
    const outcome = await inTransaction(this.pool, async (client): Promise<{ refused: AuthError } | { session: Omit<Session, keyof AccessToken>; claims: AccessClaims }> => {
      const now = this.now();
      const { rows } = await client.query<RefreshRow>(
        `SELECT family_id, subject, kind, expires_at, used_at, revoked_at FROM auth.refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hashToken(refreshToken)],
      );
      const row = rows[0];
      if (!row || row.revoked_at !== null) return { refused: new AuthError('auth.refresh_invalid', 'This session has ended; sign in again.') };
      if (row.used_at !== null) {
        // Either the client or a thief replayed a spent token; we cannot tell which, so both lose the session.
        await this.revokeFamilyWith(client, row.family_id, now);
        return { refused: new AuthError('auth.refresh_reused', 'This refresh token was already used; the session was closed for safety. Sign in again.') };
      }
      if (row.expires_at.getTime() <= now.getTime()) return { refused: new AuthError('auth.refresh_expired', 'The session has expired; sign in again.') };

      await client.query(`UPDATE auth.refresh_tokens SET used_at = $2 WHERE token_hash = $1`, [hashToken(refreshToken), now]);
      const claims = await currentClaims({ sub: row.subject, kind: row.kind });
      if (claims === null || claims.sub !== row.subject || claims.kind !== row.kind) {
        await this.revokeFamilyWith(client, row.family_id, now);
        return { refused: new AuthError('auth.account_inactive', 'This account may no longer sign in.') };
      }
      return { session: await this.insertRefreshToken(client, row.family_id, claims), claims };
    });
    if ('refused' in outcome) throw outcome.refused;
    return { ...(await this.issueAccess(outcome.claims)), ...outcome.session };
  }

  /** Sign-out: ends the family of the given refresh token. Unknown tokens are ignored. */
  async revoke(refreshToken: string): Promise<void> {
    await this.pool.query(
      `UPDATE auth.refresh_tokens SET revoked_at = $2
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM auth.refresh_tokens WHERE token_hash = $1)`,
      [hashToken(refreshToken), this.now()],
    );
  }

  /** Ends every session of a subject, e.g. after a password change or when staff is disabled. */
  async revokeAllFor(subject: string): Promise<void> {
    await this.pool.query(`UPDATE auth.refresh_tokens SET revoked_at = $2 WHERE subject = $1 AND revoked_at IS NULL`, [subject, this.now()]);
  }

  /** Deletes refresh tokens expired for more than `graceSeconds` (kept a while to still detect replays). */
  async purgeExpired(graceSeconds = 7 * 24 * 60 * 60): Promise<number> {
    const before = new Date(this.now().getTime() - graceSeconds * 1000);
    const { rowCount } = await this.pool.query(`DELETE FROM auth.refresh_tokens WHERE expires_at < $1`, [before]);
    return rowCount ?? 0;
  }

  private async insertRefreshToken(db: pg.Pool | pg.PoolClient, familyId: string, claims: AccessClaims) {
    const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    const issuedAt = this.now();
    const refreshExpiresAt = new Date(issuedAt.getTime() + this.refreshTtlSeconds * 1000);
    await db.query(
      `INSERT INTO auth.refresh_tokens (token_hash, family_id, subject, kind, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [hashToken(refreshToken), familyId, claims.sub, claims.kind, issuedAt, refreshExpiresAt],
    );
    return { refreshToken, refreshExpiresAt };
  }

  private async revokeFamilyWith(client: pg.PoolClient, familyId: string, now: Date): Promise<void> {
    await client.query(`UPDATE auth.refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, now]);
  }

}

interface RefreshRow {
  family_id: string;
  subject: string;
  kind: PrincipalKind;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

// Refresh tokens carry 256 random bits: a fast hash is enough, no salt or stretching needed.
const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** A session as the API answers it: the tokens and the seconds the access token lives. */
export function sessionBody(session: Session): { accessToken: string; refreshToken: string; expiresIn: number } {
  return { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: Math.round((session.accessExpiresAt.getTime() - Date.now()) / 1000) };
}
