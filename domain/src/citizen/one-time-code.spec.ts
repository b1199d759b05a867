import { describe, expect, it } from 'vitest';
import { codeMessage, mayIssueCode, mayTryCode, oneTimeCodeRules, readTypedCode } from './one-time-code.js';

const minute = 60_000;
const t0 = Date.parse('2027-03-01T10:00:00Z');

describe('sending codes to a number', () => {
  it('sends a first code, then makes the next wait a minute', () => {
    expect(mayIssueCode(t0, [], [])).toEqual({ ok: true });
    expect(mayIssueCode(t0 + 20_000, [t0], [t0])).toMatchObject({ ok: false, code: 'phone.code_too_soon', retryAfterMs: 40_000 });
    expect(mayIssueCode(t0 + minute, [t0], [t0])).toEqual({ ok: true });
  });

  it('stops a flood to one number at three codes an hour, and says when the next may go', () => {
    const sent = [t0, t0 + 5 * minute, t0 + 10 * minute];
    expect(mayIssueCode(t0 + 15 * minute, sent, [])).toMatchObject({ ok: false, code: 'phone.too_many_codes', retryAfterMs: 45 * minute });
    expect(mayIssueCode(t0 + 60 * minute, sent, [])).toEqual({ ok: true });
  });

  it('stops one device asking codes for many numbers at five an hour', () => {
    const fromDevice = [0, 1, 2, 3, 4].map((i) => t0 + i * 2 * minute);
    expect(mayIssueCode(t0 + 12 * minute, [], fromDevice)).toMatchObject({ ok: false, code: 'phone.too_many_codes' });
  });
});

describe('checking a typed code', () => {
  const challenge = { issuedAt: t0, attempts: 0, usedAt: null };
  it('allows guesses while the code is fresh, unused and not guessed too often', () => {
    expect(mayTryCode(t0 + minute, challenge)).toEqual({ ok: true });
    expect(mayTryCode(t0, null)).toMatchObject({ code: 'phone.no_code' });
    expect(mayTryCode(t0 + oneTimeCodeRules.lifetimeMs, challenge)).toMatchObject({ code: 'phone.code_expired' });
    expect(mayTryCode(t0 + minute, { ...challenge, usedAt: t0 + 30_000 })).toMatchObject({ code: 'phone.code_used' });
    expect(mayTryCode(t0 + minute, { ...challenge, attempts: 5 })).toMatchObject({ code: 'phone.too_many_attempts' });
  });

  it('reads a code typed with spaces or a dash, and nothing else', () => {
    expect(readTypedCode('123 456')).toBe('123456');
    expect(readTypedCode('123-456')).toBe('123456');
    expect(readTypedCode('12345')).toBeNull();
    expect(readTypedCode('12345a')).toBeNull();
  });

  it('writes an SMS that starts with the code, in French and English', () => {
    const text = codeMessage('482913');
    expect(text.startsWith('482913')).toBe(true);
    expect(text).toMatch(/valable 10 min/);
    expect(text).toMatch(/valid 10 min/);
    expect(text.length).toBeLessThanOrEqual(160);
  });
});
