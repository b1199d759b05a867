import { isIP } from 'node:net';

/**
 * Which peers may tell the API who the client is (`X-Forwarded-For`), as Express's `trust proxy`
 * takes it: `false`, believe no one (the socket's peer is the client); a number, that many proxies
 * stand in front of the API; a list, the proxies' addresses and ranges.
 */
export type TrustProxy = false | number | readonly string[];

/** Express's names for the usual private ranges. */
const namedRanges = ['loopback', 'linklocal', 'uniquelocal'];

/** Reads `TRUST_PROXY`: `1` (hop count) or `127.0.0.1,10.0.0.0/8,loopback`; a sentence naming the fault otherwise. */
export function parseTrustProxy(text: string | undefined): { value: TrustProxy } | { error: string } {
  const value = (text ?? '').trim();
  if (value === '' || value === '0' || value === 'false') return { value: false };
  if (value === 'true') {
    return { error: 'true would believe the X-Forwarded-For of any client, which can then pick its address; give the number of proxies in front of Palabre (1 for one nginx) or their addresses' };
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? { value: hops } : { error: `${value} proxies in a row is not a deployment; give the number of proxies in front of Palabre (1 for one nginx)` };
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined) {
    return { error: `"${wrong}" is not a number of proxies, an IP address, a CIDR range (10.0.0.0/8) or one of ${namedRanges.join(', ')}` };
  }
  return { value: entries };
}

function isProxyAddress(entry: string): boolean {
  if (namedRanges.includes(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The client's address: Express's `request.ip` (the socket's peer, or X-Forwarded-For through trusted proxies). */
export function clientAddress(request: { ip?: string | undefined; socket: { remoteAddress?: string | undefined } }): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** A hop count believes any peer: said at start when the API also listens beyond this machine. */
export function trustProxyWarning(config: { trustProxy: TrustProxy; host: string; port: number }): string | null {
  if (typeof config.trustProxy !== 'number' || ['127.0.0.1', '::1', 'localhost'].includes(config.host)) return null;
  return `Palabre: TRUST_PROXY=${config.trustProxy} believes the X-Forwarded-For of any peer, and HOST=${config.host} lets clients reach port ${config.port} without the proxy and choose their address: set HOST=127.0.0.1, or name the proxy's address in TRUST_PROXY.`;
}
