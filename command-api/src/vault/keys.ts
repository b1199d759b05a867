import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LoadKeyOptions {
  /** The environment value (hex or base64), if set; it wins over the file. */
  readonly env: string | null | undefined;
  /** Where a generated key is kept when the environment gives none, e.g. `.palabre/master.key`. */
  readonly fallbackFile: string;
}

interface KeySpec {
  /** Name of the environment variable, for error messages. */
  readonly variable: string;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** Length of a generated key. */
  readonly generateBytes: number;
}

/**
 * A secret from the environment, else from `fallbackFile`, else generated once into that file
 * (mode 0600) so `npm start` works on a fresh machine. Malformed values stop the start loudly.
 */
export function loadKey(spec: KeySpec, { env, fallbackFile }: LoadKeyOptions): Buffer {
  if (env !== undefined && env !== null && env.trim() !== '') return parseKey(env, spec, spec.variable);
  const existing = readKeyFile(fallbackFile);
  if (existing !== null) return parseKey(existing, spec, fallbackFile);
  const key = randomBytes(spec.generateBytes);
  mkdirSync(dirname(fallbackFile), { recursive: true, mode: 0o700 });
  try {
    // 'wx': if another process created the file meanwhile, its key wins and ours is dropped.
    writeFileSync(fallbackFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKey(readKeyFile(fallbackFile) ?? '', spec, fallbackFile);
  }
}

/** The vault master key: exactly 32 bytes, from `PALABRE_MASTER_KEY` (hex or base64) or the key file. */
export function loadMasterKey(options: LoadKeyOptions): Buffer {
  return loadKey({ variable: 'PALABRE_MASTER_KEY', minBytes: 32, maxBytes: 32, generateBytes: 32 }, options);
}

function readKeyFile(path: string): string | null {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Like ssh: a key others can read is already compromised, so refuse rather than use it.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  return readFileSync(path, 'utf8');
}

function parseKey(text: string, spec: KeySpec, source: string): Buffer {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : decodeBase64(value);
  const size = spec.minBytes === spec.maxBytes ? `${spec.minBytes} bytes` : `${spec.minBytes} to ${spec.maxBytes} bytes`;
  if (bytes === null || bytes.length < spec.minBytes || bytes.length > spec.maxBytes) {
    const found = bytes === null ? 'neither hex nor base64' : `${bytes.length} bytes`;
    throw new Error(
      `${source} must hold ${size} encoded as hex or base64 (found ${found}). Generate one with: node -e "console.log(require('crypto').randomBytes(${spec.generateBytes}).toString('base64'))"`,
    );
  }
  return bytes;
}

// Buffer.from(…, 'base64') silently skips bad characters; check the alphabet first.
function decodeBase64(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return null;
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
