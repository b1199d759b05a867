import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../src/export/export-bundle.js';
import { normaliseScope } from '../src/export/scope.js';
import { openAuditFixture, tellTicket } from '../src/testing/log.js';

const checkout = fileURLToPath(new URL('../..', import.meta.url));
// This Node's npm and npx first on PATH, as for the person following the README.
const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;

/** Runs a command in `cwd` as a shell user would; resolves with its exit code and output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, PATH: path, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// npx must find the command in the clone: offline, with a registry that answers nothing, it cannot fetch one.
const noRegistry = { npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9/' };

/**
 * The README's auditor: a fresh clone (of this checkout's last commit), `npm ci`, then
 * `npx palabre-audit …`. No dist/ is committed, so the command must build what it runs.
 */
describe('npx palabre-audit on a fresh clone', () => {
  let parent: string;
  let clone: string;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'palabre-fresh-clone-'));
    clone = join(parent, 'palabre');
    execFileSync('git', ['clone', '--quiet', checkout, clone]);
    // Packages come from npm's cache, filled by the checkout's own npm ci; the registry only for what it lacks.
    const install = await run('npm', ['ci', '--no-audit', '--no-fund'], clone, { npm_config_prefer_offline: 'true' });
    expect(install.code, install.stderr).toBe(0);
  }, 900_000);

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('prints its usage from the project’s own CLI, building it first', async () => {
    const help = await run('npx', ['palabre-audit', '--help'], clone, noRegistry);
    expect(help.stderr).toContain('palabre-audit: building the verifier from this checkout (tsc -b audit)');
    expect(help.stdout).toMatch(/^palabre-audit — verifiable exports of the Palabre event log/);
    expect(help.code).toBe(0);
  }, 600_000);

  it('verifies a bundle, reading only it and the key the auditor trusts', async () => {
    const log = await openAuditFixture('fresh_clone');
    try {
      for (let i = 0; i < 2; i++) await tellTicket(log.store, { ticketId: `T${i}`, communeId: 'soa', day: `2026-08-1${i}`, until: 'closed' });
      await log.project();
      const bundle = join(parent, 'bundle');
      await exportBundle({ store: log.store, pool: log.pool, scope: normaliseScope({}), signer: log.signer, formats: ['jsonl', 'csv'], outDir: bundle });
      writeFileSync(join(parent, 'trusted.pem'), log.signer.publicKeyPem);

      const verify = await run('npx', ['palabre-audit', 'verify', bundle, '--public-key', join(parent, 'trusted.pem')], clone, noRegistry);
      expect(verify.stdout).toContain('VALID — no event in this bundle was altered, removed or reordered');
      expect(verify.stdout).toContain('(checked against the key you gave)');
      expect(verify.code).toBe(0);
    } finally {
      await log.close();
    }
  }, 600_000);
});
