import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory for one bundle. */
export const tempDir = (name: string): string => join(mkdtempSync(join(tmpdir(), 'palabre-audit-')), name);

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
