import { describe, expect, it } from 'vitest';
import { maskPhoneNumber, readPhoneNumber } from './phone.js';

describe('reading a phone number as a resident types it', () => {
  it('reads every usual spelling of one Cameroonian mobile number as the same E.164 number', () => {
    for (const typed of ['677 12 34 56', '677-12-34-56', '+237 677 12 34 56', '00237677123456', '(+237) 677.12.34.56']) {
      expect(readPhoneNumber(typed, 'CM')).toEqual({ ok: true, e164: '+237677123456', country: 'CM' });
    }
  });

  it('reads numbers of the other pilot countries by their calling code, and a national one by the deployment country', () => {
    expect(readPhoneNumber('+228 90 12 34 56', 'CM')).toEqual({ ok: true, e164: '+22890123456', country: 'TG' });
    expect(readPhoneNumber('0812345678', 'CD')).toEqual({ ok: true, e164: '+243812345678', country: 'CD' });
    expect(readPhoneNumber('07 07 12 34 56', 'CI')).toEqual({ ok: true, e164: '+2250707123456', country: 'CI' });
  });

  it('says why a number cannot receive a code', () => {
    expect(readPhoneNumber('six sept sept', 'CM')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(readPhoneNumber('677 12 34', 'CM')).toEqual({ ok: false, reason: 'wrong_length' });
    expect(readPhoneNumber('222 12 34 56', 'CM')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(readPhoneNumber('+33 6 12 34 56 78', 'CM')).toEqual({ ok: false, reason: 'unknown_country' });
  });

  it('shows staff only the start and the last three digits', () => {
    expect(maskPhoneNumber('+237677123456')).toBe('+237 ••••••456');
  });
});
