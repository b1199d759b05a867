import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { citizenDecider, codeMessage, levelOf, maskPhoneNumber, mayIssueCode, mayTryCode, oneTimeCodeRules, readPhoneNumber, readTypedCode, type Refusal } from '@palabre/domain';
import { inTransaction } from '@palabre/event-store';
import { ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { type Clock, CITIZEN_SECRET, CLOCK, CONFIG, PG_POOL } from '../platform/tokens.js';
import type { Config } from '../config.js';
import { SMS_GATEWAY } from './sms/index.js';
import { SmsDeliveryError, type SmsGateway } from './sms/sms.js';

const problemFor: Record<string, { status: number; field?: string }> = {
  'phone.code_too_soon': { status: 429 },
  'phone.too_many_codes': { status: 429 },
  'phone.no_code': { status: 409 },
  'phone.code_used': { status: 409 },
  'phone.code_expired': { status: 400, field: 'body.code' },
  'phone.too_many_attempts': { status: 429 },
};

const refusal = (refused: { code: string; message: string; retryAfterMs?: number }): ProblemError => {
  const { status, field } = problemFor[refused.code] ?? { status: 400 };
  const retryAfter: Record<string, string> = refused.retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.ceil(refused.retryAfterMs / 1000)) };
  return new ProblemError(status, refused.code, refused.message, field ? [{ path: field, message: refused.message }] : [], {}, retryAfter);
};

export interface VerifiedPhone {
  id: string;
  level: 'device' | 'phone' | 'in_person';
  /** The number already belonged to another citizen (another device): this device is now that citizen. */
  recoveredAs: string | null;
}

/**
 * A citizen proves a phone number by typing back a code sent to it. The number and the code never
 * reach the log: events carry an HMAC of the number, this table an HMAC of the code until it is used.
 */
@Injectable()
export class PhoneVerification {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(CITIZEN_SECRET) private readonly secret: Buffer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
    private readonly streams: Streams,
  ) {}

  async level(citizenId: string): Promise<VerifiedPhone['level']> {
    return levelOf((await this.streams.load(citizenDecider, citizenId)).state);
  }

  /** Sends a code to the number, within the limits per number and per device. */
  async sendCode(principal: Principal, typedPhone: string): Promise<{ sentTo: string; expiresAt: string; resendAfterSeconds: number }> {
    const reading = readPhoneNumber(typedPhone, this.config.country);
    if (!reading.ok) {
      const reason = {
        not_a_number: 'not a phone number',
        wrong_length: 'a mobile number has the wrong number of digits',
        not_mobile: 'not a mobile number: codes are sent by SMS',
        unknown_country: 'a country Palabre does not serve',
      }[reading.reason];
      throw new ProblemError(400, `phone.${reading.reason}`, `This number cannot receive a code: ${reason}.`, [{ path: 'body.phone', message: reason }]);
    }
    const phoneDigest = this.digest('phone', reading.e164).toString('hex');
    const code = String(randomInt(0, 10 ** oneTimeCodeRules.digits)).padStart(oneTimeCodeRules.digits, '0');
    const now = this.clock();
    const id = await inTransaction(this.pool, async (client) => {
      // Two requests for one number at once must see each other's codes.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phone:${phoneDigest}`]);
      const since = new Date(now.getTime() - Math.max(oneTimeCodeRules.perNumber.windowMs, oneTimeCodeRules.perDevice.windowMs));
      const { rows } = await client.query<{ issued_at: Date; to_number: boolean; from_device: boolean }>(
        `SELECT issued_at, phone_digest = $1 AS to_number, citizen_id = $2 AS from_device
           FROM auth.phone_codes WHERE (phone_digest = $1 OR citizen_id = $2) AND issued_at > $3`,
        [phoneDigest, principal.id, since],
      );
      const allowed = mayIssueCode(
        now.getTime(),
        rows.filter((r) => r.to_number).map((r) => r.issued_at.getTime()),
        rows.filter((r) => r.from_device).map((r) => r.issued_at.getTime()),
      );
      if (!allowed.ok) throw refusal(allowed);
      const inserted = await client.query<{ id: string }>(
        'INSERT INTO auth.phone_codes (citizen_id, phone_digest, code_digest, issued_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [principal.id, phoneDigest, this.codeDigest(phoneDigest, code), now],
      );
      return inserted.rows[0]!.id;
    });
    try {
      await this.sms.send({ to: reading.e164, text: codeMessage(code), reference: `phone-code-${id}` });
    } catch (error) {
      if (!(error instanceof SmsDeliveryError)) throw error;
      // The code counted against the limits all the same: a failing gateway must not become a way around them.
      throw error.temporary
        ? new ProblemError(503, 'sms.unavailable', 'The code could not be sent just now; try again in a minute.', [], {}, { 'Retry-After': '60' })
        : new ProblemError(502, 'sms.refused', 'The SMS operator refused to send to this number.');
    }
    return {
      sentTo: maskPhoneNumber(reading.e164),
      expiresAt: new Date(now.getTime() + oneTimeCodeRules.lifetimeMs).toISOString(),
      resendAfterSeconds: oneTimeCodeRules.resendAfterMs / 1000,
    };
  }

  /** Checks the typed code against the latest one sent for this device; a right code verifies the number. */
  async verifyCode(principal: Principal, typed: string, ids: { commandId: string; correlationId: string }): Promise<VerifiedPhone> {
    const code = readTypedCode(typed);
    if (code === null) {
      throw new ProblemError(400, 'phone.code_malformed', `A code is ${oneTimeCodeRules.digits} digits.`, [{ path: 'body.code', message: `${oneTimeCodeRules.digits} digits` }]);
    }
    const now = this.clock();
    type Checked = { refused: Refusal } | { wrong: number } | { phoneDigest: string; ownerId: string };
    const outcome = await inTransaction(this.pool, async (client): Promise<Checked> => {
      const { rows } = await client.query<{ id: string; phone_digest: string; code_digest: Buffer; issued_at: Date; attempts: number; used_at: Date | null }>(
        'SELECT id, phone_digest, code_digest, issued_at, attempts, used_at FROM auth.phone_codes WHERE citizen_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 1 FOR UPDATE',
        [principal.id],
      );
      const row = rows[0];
      const allowed = mayTryCode(now.getTime(), row ? { issuedAt: row.issued_at.getTime(), attempts: row.attempts, usedAt: row.used_at?.getTime() ?? null } : null);
      if (!allowed.ok) return { refused: allowed as Refusal };
      if (!timingSafeEqual(row!.code_digest, this.codeDigest(row!.phone_digest, code))) {
        await client.query('UPDATE auth.phone_codes SET attempts = attempts + 1 WHERE id = $1', [row!.id]);
        const left = oneTimeCodeRules.maxAttempts - row!.attempts - 1;
        return { wrong: left };
      }
      await client.query('UPDATE auth.phone_codes SET used_at = $2 WHERE id = $1', [row!.id, now]);
      // The first citizen to verify a number owns it; a later device that proves it becomes that citizen.
      const owner = await client.query<{ citizen_id: string }>(
        `INSERT INTO auth.phone_owners (phone_digest, citizen_id, verified_at) VALUES ($1, $2, $3)
         ON CONFLICT (phone_digest) DO UPDATE SET phone_digest = EXCLUDED.phone_digest RETURNING citizen_id`,
        [row!.phone_digest, principal.id, now],
      );
      const ownerId = owner.rows[0]!.citizen_id;
      if (ownerId !== principal.id) {
        await client.query('INSERT INTO auth.citizen_links (device_citizen_id, citizen_id, linked_at) VALUES ($1, $2, $3) ON CONFLICT (device_citizen_id) DO UPDATE SET citizen_id = EXCLUDED.citizen_id, linked_at = EXCLUDED.linked_at', [principal.id, ownerId, now]);
      }
      return { phoneDigest: row!.phone_digest, ownerId };
    });
    if ('refused' in outcome) throw refusal(outcome.refused);
    if ('wrong' in outcome) {
      throw new ProblemError(400, 'phone.code_wrong', `This is not the code that was sent; ${outcome.wrong} ${outcome.wrong === 1 ? 'try' : 'tries'} left.`, [{ path: 'body.code', message: 'not the code sent' }]);
    }
    if (outcome.ownerId === principal.id) {
      const verified = await this.streams.execute(citizenDecider, principal, {
        name: 'VerifyPhone',
        id: principal.id,
        ...ids,
        build: (meta) => ({ type: 'VerifyPhone' as const, data: { citizenId: principal.id, phoneDigest: outcome.phoneDigest }, meta }),
        communeOf: () => null,
      });
      return { id: principal.id, level: levelOf(verified.state), recoveredAs: null };
    }
    const linked = await this.streams.execute(citizenDecider, principal, {
      name: 'LinkDevice',
      id: outcome.ownerId,
      ...ids,
      build: (meta) => ({ type: 'LinkDevice' as const, data: { citizenId: outcome.ownerId, deviceCitizenId: principal.id }, meta }),
      communeOf: () => null,
    });
    return { id: outcome.ownerId, level: levelOf(linked.state), recoveredAs: outcome.ownerId };
  }

  /** The citizen a device acts as: itself, or the citizen it was recovered into. */
  async citizenOfDevice(deviceCitizenId: string): Promise<string> {
    const { rows } = await this.pool.query<{ citizen_id: string }>('SELECT citizen_id FROM auth.citizen_links WHERE device_citizen_id = $1', [deviceCitizenId]);
    return rows[0]?.citizen_id ?? deviceCitizenId;
  }

  private digest(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.secret).update(`palabre.${purpose}.v1\u0000${value}`, 'utf8').digest();
  }

  private codeDigest(phoneDigest: string, code: string): Buffer {
    return this.digest('phone-code', `${phoneDigest}\u0000${code}`);
  }
}
