import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citizenIdForDevice } from './index.js';

const secret = randomBytes(32);
const deviceId = 'android-3f9c2a7b1e4d4c0f';

describe('citizenIdForDevice', () => {
  it('gives a device the same id every time', () => {
    expect(citizenIdForDevice(deviceId, secret)).toBe(citizenIdForDevice(deviceId, Buffer.from(secret)));
  });

  it('reveals nothing of the device id', () => {
    const citizenId = citizenIdForDevice(deviceId, secret);
    expect(citizenId).not.toBe(deviceId);
    expect(citizenId.toLowerCase()).not.toContain('3f9c2a7b');
    expect(citizenId).toMatch(/^C[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('gives different devices, or the same device under another secret, different ids', () => {
    expect(citizenIdForDevice('android-3f9c2a7b1e4d4c10', secret)).not.toBe(citizenIdForDevice(deviceId, secret));
    expect(citizenIdForDevice(deviceId, randomBytes(32))).not.toBe(citizenIdForDevice(deviceId, secret));
  });

  it.each(['short', 'x'.repeat(201), 'device id with spaces', 'ios/../../etc', 'émoji-☂-device'])('refuses the device id %j', (bad) => {
    expect(() => citizenIdForDevice(bad, secret)).toThrow(expect.objectContaining({ code: 'auth.invalid_device_id' }));
  });

  it('refuses a weak secret', () => {
    expect(() => citizenIdForDevice(deviceId, randomBytes(16))).toThrow(RangeError);
  });
});
