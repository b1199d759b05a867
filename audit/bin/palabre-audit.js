#!/usr/bin/env node
// `npx palabre-audit`: this checkout's verifier, built from its sources first when a fresh clone has no
// build yet or the sources changed since, so npx never has to look for the command in the registry.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const audit = fileURLToPath(new URL('..', import.meta.url));
const root = join(audit, '..');
// The audit workspace and those it is built from (the references in audit/tsconfig.json).
const projects = ['domain', 'event-store', 'projections', 'audit'].map((name) => join(root, name));

/** Latest change under `path` among the files tsc builds (tests and test helpers are not built). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.(spec|test)\.ts$/.test(path) ? 0 : stat.mtimeMs;
  if (path.endsWith('/testing')) return 0;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** A project is stale when a source changed after its last build; tsc -b then rebuilds what depends on it. */
function isStale(project) {
  const built = join(project, 'dist', '.tsbuildinfo');
  if (!existsSync(built)) return true;
  const sources = [join(project, 'src'), join(project, 'tsconfig.json'), join(root, 'tsconfig.base.json')];
  return Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
}

if (!existsSync(join(audit, 'dist', 'cli', 'main.js')) || projects.some(isStale)) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('palabre-audit: the verifier is not built and TypeScript is missing to build it: run npm ci in this checkout first.\n');
    process.exit(2);
  }
  process.stderr.write('palabre-audit: building the verifier from this checkout (tsc -b audit)…\n');
  // The command's own output stays on stdout (--json is read by programs): the build's goes to stderr.
  execFileSync(process.execPath, [tsc, '-b', audit], { cwd: root, stdio: ['ignore', 2, 2] });
}

await import(pathToFileURL(join(audit, 'dist', 'cli', 'main.js')).href);
