import argon2 from 'argon2';
import { AuthError } from './errors.js';

/**
 * argon2id at OWASP's baseline (19 MiB, 2 passes, 1 lane): 30 to 150 ms on one core depending on
 * the CPU, and 19 MiB per sign-in in flight, so a 2 GB commune server survives dozens of
 * simultaneous sign-ins while every password guess stays costly.
 */
export const PASSWORD_HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase, short enough that nobody makes us hash a megabyte. */
export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(plain: string): Promise<string> {
  if (plain.length < MIN_PASSWORD_LENGTH || plain.length > MAX_PASSWORD_LENGTH) {
    throw new AuthError('auth.invalid_password', `A password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`);
  }
  return argon2.hash(plain, PASSWORD_HASH_OPTIONS);
}

/** True when `plain` matches; a malformed stored hash throws (it is corruption, not a wrong password). */
export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  if (plain.length > MAX_PASSWORD_LENGTH) return false;
  return argon2.verify(hash, plain);
}

/** True when the hash was made with weaker parameters than today's and should be replaced. */
export function passwordNeedsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
}
