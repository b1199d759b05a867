import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../machine.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A PATH holding node and nothing else: a fresh machine without Chromium. */
function bareBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'palabre-bare-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

/** `npm test`'s first step, with only the given variables (no CHROMIUM_PATH and the like from the caller). */
function checkEnv(env: NodeJS.ProcessEnv, part?: string) {
  const args = [join(root, 'scripts/check-env.mjs'), ...(part ? [part] : [])];
  const run = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stderr: run.stderr.trim() };
}

describe('npm test on a fresh machine', () => {
  it('runs the machine check before vitest', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts.test).toMatch(/^node scripts\/check-env\.mjs && vitest run/);
  });

  it('stops at once without Chromium, saying how to install it', () => {
    const { status, stderr } = checkEnv({ PATH: bareBin() });
    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toBe(
      'The browser tests need Chromium, which is not on PATH: install it (apt-get install chromium) or set PALABRE_CHROMIUM to a Chromium binary.',
    );
  });

  it('names a PALABRE_CHROMIUM or CHROMIUM_PATH that is not a program', () => {
    const notAProgram = join(mkdtempSync(join(tmpdir(), 'palabre-not-chromium-')), 'chromium');
    writeFileSync(notAProgram, 'not a browser\n');
    for (const variable of ['PALABRE_CHROMIUM', 'CHROMIUM_PATH']) {
      const { status, stderr } = checkEnv({ PATH: bareBin(), [variable]: notAProgram });
      expect(status).toBe(1);
      expect(stderr.split('\n')[0]).toBe(`${variable}=${notAProgram} is not an executable file: point it at the binary, or unset it to use chromium on PATH.`);
    }
  });

  it('goes on when PALABRE_CHROMIUM names this machine’s Chromium', () => {
    const chromium = findChromium();
    expect(chromium.missing).toBeUndefined();
    const { status, stderr } = checkEnv({ PATH: bareBin(), PALABRE_CHROMIUM: chromium.path });
    expect(stderr).not.toContain('Chromium');
    // nginx is found in /usr/sbin even off PATH, as Debian installs it; the suite's own machine has it.
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('asks for DATABASE_URL before the part of the suite that runs on an existing server', () => {
    const { status, stderr } = checkEnv({ PATH: bareBin() }, 'external-pg');
    expect(status).toBe(1);
    expect(stderr).toBe(
      'npm run test:external-pg runs on an existing PostgreSQL server: set DATABASE_URL to its maintenance database (postgres://user:password@host:port/postgres), as .ci/run does.',
    );
    expect(checkEnv({ PATH: bareBin(), DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:5432/postgres' }, 'external-pg').status).toBe(0);
  });
});
