import { describe, expect, it } from 'vitest';
import { encodePlusCode } from './plus-code.js';

// Published examples from the Open Location Code test data (test_data/encoding.csv).
const published: [lat: number, lon: number, length: number, code: string][] = [
  [47.0000625, 8.0000625, 10, '8FVC2222+22'],
  [20.375, 2.775, 6, '7FG49Q00+'],
  [20.3700625, 2.7821875, 10, '7FG49QCJ+2V'],
  [20.3701125, 2.782234375, 11, '7FG49QCJ+2VX'],
  [20.3701135, 2.78223535156, 13, '7FG49QCJ+2VXGJ'],
  [-41.2730625, 174.7859375, 10, '4VCPPQGP+Q9'],
  [0.5, -179.5, 4, '62G20000+'],
  [-89.9999375, -179.9999375, 10, '22222222+22'],
  [1, 1, 11, '6FH32222+222'],
  [37.539669125, -122.375069724, 15, '849VGJQF+VX7QR3J'],
  [-68.54504, -62.81725, 11, '373VF53M+X4J'],
  [-28.1217794010122, -154.066811473758, 15, '5337VWHM+77PR2GR'],
];

describe('encodePlusCode', () => {
  it.each(published)('encodes %d, %d at length %d as %s', (lat, lon, length, code) => {
    expect(encodePlusCode(lat, lon, length)).toBe(code);
  });

  it('gives a 10-digit code by default, a cell of about 14 m', () => {
    expect(encodePlusCode(47.0000625, 8.0000625)).toBe('8FVC2222+22');
  });

  it('is not fooled by decimals that binary floating point cannot represent', () => {
    expect(encodePlusCode(1.2, 3.4, 10)).toBe('6FH56C22+22');
    expect(encodePlusCode(40.6, 129.7, 8)).toBe('8QGFJP22+');
    expect(encodePlusCode(80.0099999999, 58.57, 15)).toBe('CHGW2H5C+X2RRRRR');
    expect(encodePlusCode(80.0100000001, 58.57, 15)).toBe('CHGW2H6C+2222222');
  });

  it('keeps the north pole in the topmost cell and clips beyond it', () => {
    expect(encodePlusCode(90, 1, 10)).toBe('CFX3X2X2+X2');
    expect(encodePlusCode(92, 1, 4)).toBe('CFX30000+');
  });

  it('wraps longitudes around the globe, even absurd ones, at once', () => {
    expect(encodePlusCode(1, 180, 4)).toBe('62H20000+');
    expect(encodePlusCode(47.0000625, 728.0000625, 10)).toBe('8FVC2222+22');
    expect(encodePlusCode(-41.2730625, -905.2140625, 10)).toBe('4VCPPQGP+Q9');
    expect(encodePlusCode(-80, -360000000170, 2)).toBe('22000000+');
  });

  it('caps precision at 15 digits', () => {
    expect(encodePlusCode(37.539669125, -122.375069724, 100)).toBe('849VGJQF+VX7QR3J');
  });

  it('gives codes of one place that shorten to their own prefixes', () => {
    const soaTownHall = { lat: 3.9846, lon: 11.5962 };
    const full = encodePlusCode(soaTownHall.lat, soaTownHall.lon, 11);
    expect(full).toMatch(/^[23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{3}$/);
    expect(encodePlusCode(soaTownHall.lat, soaTownHall.lon, 10)).toBe(full.slice(0, 11));
    expect(encodePlusCode(soaTownHall.lat, soaTownHall.lon, 8)).toBe(full.slice(0, 9));
    expect(encodePlusCode(soaTownHall.lat, soaTownHall.lon, 6)).toBe(`${full.slice(0, 6)}00+`);
  });

  it('refuses lengths the specification does not allow', () => {
    expect(() => encodePlusCode(3.98, 11.6, 1)).toThrow(RangeError);
    expect(() => encodePlusCode(3.98, 11.6, 7)).toThrow(RangeError);
    expect(() => encodePlusCode(Number.NaN, 11.6)).toThrow(RangeError);
  });
});
