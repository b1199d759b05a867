import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { appModule } from './initial-js.ts';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
  assets?: string[];
}

/**
 * Writes the app shell (index.html, the entry chunk, the app's chunk, their static imports and CSS), the rest of
 * the build's code (fetched after the shell, smallest first) and a build version into dist/sw.js, so
 * each deployment installs a fresh, complete cache.
 */
export function precacheManifest(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'palabre-precache-manifest',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const manifest = JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
      const shell = new Set<string>(['index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png']);
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || shell.has(chunk.file)) return;
        shell.add(chunk.file);
        for (const css of chunk.css ?? []) shell.add(css);
        for (const asset of chunk.assets ?? []) shell.add(asset);
        for (const imported of chunk.imports ?? []) visit(imported);
      };
      for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry || key === appModule) visit(key);
      const later = new Set<string>();
      for (const chunk of Object.values(manifest)) {
        for (const file of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]) if (!shell.has(file)) later.add(file);
      }
      const sizes = new Map(await Promise.all([...later].map(async (file) => [file, (await stat(join(outDir, file))).size] as const)));
      const laterFiles = [...later].sort((a, b) => sizes.get(a)! - sizes.get(b)!).map((file) => config.base + file);
      const files = [...shell].map((file) => config.base + file);
      const version = hash([...files, ...laterFiles].join('\n'));
      const swPath = join(outDir, 'sw.js');
      const sw = await readFile(swPath, 'utf8');
      const filled = sw
        .replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`)
        .replace(/const SHELL = \[[^\]]*\];/, `const SHELL = ${JSON.stringify(files)};`)
        .replace(/const LATER = \[[^\]]*\];/, `const LATER = ${JSON.stringify(laterFiles)};`)
        .replace(/const BASE = '[^']*';/, `const BASE = '${config.base}';`);
      if (!filled.includes(`const LATER = ${JSON.stringify(laterFiles)};`)) throw new Error('sw.js lost its VERSION/SHELL/LATER/BASE placeholders');
      await writeFile(swPath, filled);
    },
  };
}

/** A short FNV-1a hash: the hashed file names already change with content, this names the set. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
