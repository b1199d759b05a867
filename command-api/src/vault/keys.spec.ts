import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey } from './keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'palabre-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadMasterKey', () => {
  it('generates a key on first start, in a file only its owner can read, and reuses it', () => {
    const fallbackFile = join(dir, '.palabre', 'master.key');
    const first = loadMasterKey({ env: undefined, fallbackFile });
    expect(first).toHaveLength(32);
    expect(statSync(fallbackFile).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ env: '', fallbackFile })).toEqual(first);
    expect(Buffer.from(readFileSync(fallbackFile, 'utf8').trim(), 'base64')).toEqual(first);
  });

  it('takes the environment value, hex or base64, over the file', () => {
    const key = randomBytes(32);
    const fallbackFile = join(dir, 'master.key');
    expect(loadMasterKey({ env: key.toString('hex'), fallbackFile })).toEqual(key);
    expect(loadMasterKey({ env: key.toString('base64'), fallbackFile })).toEqual(key);
    expect(loadMasterKey({ env: ` ${key.toString('base64url')}\n`, fallbackFile })).toEqual(key);
  });

  it('refuses a malformed key with a message naming the variable', () => {
    const fallbackFile = join(dir, 'master.key');
    expect(() => loadMasterKey({ env: 'correct horse battery staple', fallbackFile })).toThrow(/PALABRE_MASTER_KEY.*hex or base64.*neither/);
    expect(() => loadMasterKey({ env: randomBytes(16).toString('hex'), fallbackFile })).toThrow(/PALABRE_MASTER_KEY must hold 32 bytes .*found 16 bytes/);
  });

  it('refuses a key file others can read', () => {
    const fallbackFile = join(dir, 'master.key');
    writeFileSync(fallbackFile, randomBytes(32).toString('base64'), { mode: 0o644 });
    chmodSync(fallbackFile, 0o644);
    expect(() => loadMasterKey({ env: undefined, fallbackFile })).toThrow(/chmod 600/);
  });
});
