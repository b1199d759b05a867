import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface Sealed {
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
}

/**
 * AES-256-GCM with a fresh random IV. `context` is authenticated but not stored: a ciphertext
 * copied to another subject (or kind) no longer decrypts.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function open(key: Buffer, sealed: Sealed, context: string, what: string): Buffer {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (error) {
    throw new VaultError('vault.integrity', `${what} failed authentication: it was altered, or the master key is not the one that sealed it.`, [], {
      cause: error,
    });
  }
}

/** A data key sealed by the master key, stored as one value: iv ‖ tag ‖ encrypted key (60 bytes). */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, context: string): Buffer {
  const { iv, tag, ciphertext } = seal(masterKey, dataKey, context);
  return Buffer.concat([iv, tag, ciphertext]);
}

export function unwrapKey(masterKey: Buffer, wrapped: Buffer, context: string): Buffer {
  if (wrapped.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) {
    throw new VaultError('vault.integrity', `A wrapped data key must be ${IV_BYTES + TAG_BYTES + KEY_BYTES} bytes, found ${wrapped.length}.`);
  }
  const sealed = { iv: wrapped.subarray(0, IV_BYTES), tag: wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), ciphertext: wrapped.subarray(IV_BYTES + TAG_BYTES) };
  return open(masterKey, sealed, context, 'The subject data key');
}
