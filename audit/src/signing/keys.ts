import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Signs tree heads; the private key never leaves this object. */
export interface TreeHeadSigner {
  readonly publicKey: KeyObject;
  /** SPKI PEM, what GET /api/audit/public-key and every bundle hand out. */
  readonly publicKeyPem: string;
  readonly keyId: string;
  sign(message: Uint8Array): Buffer;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function signerFromSeed(seed: Buffer): TreeHeadSigner {
  if (seed.length !== 32) throw new RangeError(`An Ed25519 seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return {
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

/** First 16 hex digits of SHA-256 over the raw public key: names the key in tree heads and logs. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`The audit public key must be Ed25519, this one is ${key.asymmetricKeyType}`);
  return key;
}

export function verifySignature(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

export interface SigningKeyOptions {
  /** `PALABRE_AUDIT_SIGNING_KEY`: the 32-byte seed in base64 or hex; wins over the file. */
  readonly env?: string | null | undefined;
  /** Where the seed is kept (mode 0600), generated on first start: `<data dir>/audit-signing.key`. */
  readonly file: string;
}

/**
 * The tree-head signing key: from the environment, else the key file, else generated once into
 * that file. A file others can read is refused, as ssh does.
 */
export function loadOrCreateSigningKey({ env, file }: SigningKeyOptions): TreeHeadSigner {
  if (env && env.trim() !== '') return signerFromSeed(parseSeed(env, 'PALABRE_AUDIT_SIGNING_KEY'));
  const existing = readKeyFile(file);
  if (existing !== null) return signerFromSeed(parseSeed(existing, file));
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const seed = randomBytes(32);
  try {
    // 'wx': when two processes start together, the first file wins.
    writeFileSync(file, `${seed.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return signerFromSeed(seed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return signerFromSeed(parseSeed(readKeyFile(file) ?? '', file));
  }
}

/** The key if it exists, without creating one (the export CLI signs only when it can). */
export function loadSigningKeyIfPresent({ env, file }: SigningKeyOptions): TreeHeadSigner | null {
  if (env && env.trim() !== '') return signerFromSeed(parseSeed(env, 'PALABRE_AUDIT_SIGNING_KEY'));
  const existing = readKeyFile(file);
  return existing === null ? null : signerFromSeed(parseSeed(existing, file));
}

function readKeyFile(path: string): string | null {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  return readFileSync(path, 'utf8');
}

function parseSeed(text: string, source: string): Buffer {
  const value = text.trim();
  const seed = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(value) ? Buffer.from(value, 'base64') : null;
  if (seed === null) throw new Error(`${source} must hold a 32-byte Ed25519 seed in base64 or hex`);
  return seed;
}
