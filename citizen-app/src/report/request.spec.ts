import { describe, expect, it } from 'vitest';
import type { Draft } from './draft.tsx';
import { localIso, reportRequest } from './request.ts';

const draft: Draft = {
  category: 'reseaux',
  subcategory: 'fuite-eau',
  photo: null,
  position: { lat: 5.4523456789, lon: 10.0512345678, accuracy: 11.6 },
  positionSource: 'gps',
  landmark: '  près du carrefour Total ',
  description: " L'eau coule sur la route ",
  anonymous: false,
  confidential: true,
  contact: { name: 'Awa', phone: ' ', email: '' },
};

describe('building the report request', () => {
  it('trims text, rounds the position and keeps only the contact fields given', () => {
    const request = reportRequest(draft, new Date('2026-11-23T07:30:00Z'));
    expect(request).toMatchObject({
      category: 'reseaux',
      subcategory: 'fuite-eau',
      description: "L'eau coule sur la route",
      location: { lat: 5.452346, lon: 10.051235, accuracy: 12 },
      landmark: 'près du carrefour Total',
      anonymous: false,
      confidential: true,
      contact: { name: 'Awa' },
    });
  });

  it('sends no contact for an anonymous report, and no accuracy for a pin placed by hand', () => {
    const request = reportRequest(
      { ...draft, anonymous: true, subcategory: null, landmark: ' ', position: { lat: 5.45, lon: 10.05, accuracy: null } },
      new Date(),
    );
    expect(request.contact).toBeUndefined();
    expect(request.subcategory).toBeUndefined();
    expect(request.landmark).toBeUndefined();
    expect(request.location).toEqual({ lat: 5.45, lon: 10.05 });
  });

  it('writes the client time with the phone’s offset', () => {
    expect(localIso(new Date('2026-11-23T07:30:00Z'))).toMatch(/^2026-11-23T\d{2}:30:00[+-]\d{2}:\d{2}$/);
  });
});
