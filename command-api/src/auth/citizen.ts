import { createHmac } from 'node:crypto';
import { crockfordBase32 } from '../vault/base32.js';
import { loadKey, type LoadKeyOptions } from '../vault/keys.js';
import { AuthError } from './errors.js';

/** What the app sends as its install/device id: opaque, 8 to 200 safe characters. */
const DEVICE_ID = /^[A-Za-z0-9._:-]{8,200}$/;

/**
 * The secret behind citizen ids: `PALABRE_CITIZEN_SECRET` (hex or base64, 32 to 128 bytes) or a
 * generated key file. Kept apart from the JWT secret: rotating that must not rename every citizen.
 */
export function loadCitizenSecret(options: LoadKeyOptions): Buffer {
  return loadKey({ variable: 'PALABRE_CITIZEN_SECRET', minBytes: 32, maxBytes: 128, generateBytes: 32 }, options);
}

/**
 * A stable pseudonymous citizen id for a device: `C` + 26 Crockford base32 characters of an
 * HMAC-SHA256. The same device always gets the same id; the device id itself is never stored,
 * and without the secret nobody can link an id back to a device.
 */
export function citizenIdForDevice(deviceId: string, secret: Uint8Array): string {
  if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
    throw new AuthError('auth.invalid_device_id', 'A device id has 8 to 200 letters, digits, dots, dashes, underscores or colons.');
  }
  if (secret.byteLength < 32) throw new RangeError('The citizen id secret must be at least 32 bytes.');
  const mac = createHmac('sha256', secret).update(`palabre.citizen.v1\u0000${deviceId}`, 'utf8').digest();
  return `C${crockfordBase32(mac.subarray(0, 16))}`;
}
