import { describe, expect, it } from 'vitest';
import { contactSchema, normalisePhone } from './contact.js';

describe('normalisePhone', () => {
  it.each([
    ['6 77 12 34 56', '+237677123456'],
    ['677123456', '+237677123456'],
    ['677-12-34-56', '+237677123456'],
    ['6.77.12.34.56', '+237677123456'],
    ['+237 6 77 12 34 56', '+237677123456'],
    ['00237 677 12 34 56', '+237677123456'],
    ['237677123456', '+237677123456'],
    ['2 33 45 67 89', '+237233456789'],
    ['+228 90 12 34 56', '+22890123456'],
    ['+243 81 234 5678', '+243812345678'],
    ['(+225) 07 07 12 34 56', '+2250707123456'],
  ])('reads %j as %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each(['12', '77 12 34 56', '5 77 12 34 56', '+237 77 12 34 56', '+0123456789', '+1234567890123456', 'call me', '6771234567'])(
    'refuses %j',
    (raw) => {
      expect(normalisePhone(raw)).toBeNull();
    },
  );
});

describe('contactSchema', () => {
  it('trims, normalises and keeps only what was given', () => {
    expect(contactSchema.parse({ name: '  Jean  ', email: ' jean@example.org ' })).toEqual({ name: 'Jean', email: 'jean@example.org' });
  });

  it('refuses unknown fields and empty contacts', () => {
    expect(contactSchema.safeParse({ name: 'Jean', address: 'Soa' }).success).toBe(false);
    expect(contactSchema.safeParse({}).success).toBe(false);
  });

  it('caps names at 120 characters', () => {
    expect(contactSchema.safeParse({ name: 'a'.repeat(120) }).success).toBe(true);
    expect(contactSchema.safeParse({ name: 'a'.repeat(121) }).success).toBe(false);
  });
});
