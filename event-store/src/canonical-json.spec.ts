import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from './canonical-json.js';

describe('RFC 8785 canonical JSON', () => {
  it('matches the example of RFC 8785 §3.2.4', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = JSON.parse('{"\\u20ac":1,"\\r":2,"\\ufb33":3,"1":4,"\\ud83d\\ude00":5,"\\u0080":6,"\\u00f6":7}');
    expect(Object.keys(JSON.parse(canonicalJson(input))).length).toBe(7);
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"ö":7,"€":1,"😀":5,"דּ":3}');
  });

  it('serialises numbers as ECMAScript does, -0 as 0', () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, -1.5])).toBe('[0,0,1e+21,1e-7,123456789012345680000,0.30000000000000004,-1.5]');
  });

  it('drops undefined members, keeps nested order independent of insertion order', () => {
    expect(canonicalJson({ b: { y: 1, x: [2, { d: 1, c: 2 }] }, a: undefined, c: 'é' })).toBe('{"b":{"x":[2,{"c":2,"d":1}],"y":1},"c":"é"}');
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
  });

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ s: 'half \ud800 pair' })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ b: 1n })).toThrow(CanonicalJsonError);
  });
});

describe('canonical JSON errors', () => {
  it('name where the value is', () => {
    expect(() => canonicalJson({ data: { list: [1, { n: Number.NaN }] } })).toThrow('$.data.list[1].n: NaN has no JSON form');
  });
});

describe('canonical JSON of values already in canonical order', () => {
  it('gives the same text as for any other order, and still refuses lone surrogates', () => {
    const value = { a: [1, -0, 1e21, { b: 'x\\ud800', c: 'é😀' }], d: { e: null, f: true }, g: 'tab\there' };
    const shuffled = { g: value.g, d: { f: true, e: null }, a: [1, -0, 1e21, { c: 'é😀', b: 'x\\ud800' }] };
    expect(canonicalJson(value)).toBe(canonicalJson(shuffled));
    expect(canonicalJson(value)).toBe('{"a":[1,0,1e+21,{"b":"x\\\\ud800","c":"é😀"}],"d":{"e":null,"f":true},"g":"tab\\there"}');
    expect(() => canonicalJson({ a: 'x\\\ud800' })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: [undefined] })).not.toThrow();
    expect(canonicalJson({ a: [undefined] })).toBe('{"a":[null]}');
  });

  it('orders numeric member names as text, which a JavaScript object would not (they take the careful path)', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 9: 'nine', a: [{ 2: true, 1: false }] })).toBe('{"10":"ten","9":"nine","a":[{"1":false,"2":true}],"b":1}');
    const withProto = JSON.parse('{"z":1,"__proto__":{"x":1}}');
    expect(canonicalJson(withProto)).toBe('{"__proto__":{"x":1},"z":1}');
  });

  it('writes arrays with holes and undefined items as null, like JSON', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson({ list: [1, , undefined, { b: 2, a: 1 }] })).toBe('{"list":[1,null,null,{"a":1,"b":2}]}');
  });
});
