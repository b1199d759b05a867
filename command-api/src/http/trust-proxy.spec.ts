import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { addressKey } from './rate-limit.js';
import { clientAddress, trustProxyWarning } from './trust-proxy.js';

const trustProxy = (value: string | undefined) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;

describe('TRUST_PROXY', () => {
  it('believes no X-Forwarded-For unless set', () => {
    expect(trustProxy(undefined)).toBe(false);
    expect(trustProxy('')).toBe(false);
    expect(trustProxy('0')).toBe(false);
  });

  it('takes a number of proxies, or their addresses, ranges and Express names', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  });

  it.each([
    ['true', /TRUST_PROXY: true would believe the X-Forwarded-For of any client/],
    ['nginx', /TRUST_PROXY: "nginx" is not a number of proxies, an IP address, a CIDR range/],
    ['10.0.0.0/33', /TRUST_PROXY: "10.0.0.0\/33" is not/],
    ['127.0.0.1,', /TRUST_PROXY: "" is not/],
    ['1.2.3', /TRUST_PROXY: "1.2.3" is not/],
    ['40', /TRUST_PROXY: 40 proxies in a row/],
  ])('refuses %s with a sentence naming the variable', (value, message) => {
    expect(() => trustProxy(value)).toThrow(message);
    expect(() => trustProxy(value)).toThrow(/^Palabre cannot start, the environment is not valid/);
  });

  it('warns at start when a hop count is believed from clients that can bypass the proxy', () => {
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '1' }))).toMatch(/HOST=0\.0\.0\.0 lets clients reach port 8080 without the proxy/);
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '1', HOST: '127.0.0.1' }))).toBeNull();
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '10.0.0.5' }))).toBeNull();
    expect(trustProxyWarning(loadConfig({}))).toBeNull();
  });
});

describe('the client address a limit counts', () => {
  it('is the IPv4 address, also when the socket reports it IPv4-mapped', () => {
    expect(clientAddress({ ip: '::ffff:203.0.113.5', socket: {} })).toBe('203.0.113.5');
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
  });

  it('is the /64 of an IPv6 address, which one phone may change at will', () => {
    expect(addressKey('2001:db8:a:b:1:2:3:4')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:0DB8:000a:b::99')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('1:2:3:4:5:6:7:8:9::1')).toBe('1:2:3:4::/64'); // not an address, still a key (a forged header)
  });
});
