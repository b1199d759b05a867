import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
// Each test file runs in its own process: its bundles go when it ends.
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory for one bundle (the path inside it does not exist yet). */
export function tempDir(name: string): string {
  const parent = mkdtempSync(join(tmpdir(), 'palabre-audit-'));
  created.push(parent);
  return join(parent, name);
}

/** A copy of a bundle, to tamper with without touching the original. */
export function copyBundle(dir: string): string {
  const copy = tempDir('tampered');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export const jsonlLines = (dir: string): string[] => readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');

export function writeJsonl(dir: string, lines: readonly string[]): void {
  writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
}
