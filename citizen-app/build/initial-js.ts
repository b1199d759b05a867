import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export interface InitialJs {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

/** The app itself (Preact, Ionic, the screens), imported by the small entry once it has drawn the waiting screen. */
export const appModule = 'src/app/boot.tsx';

/**
 * The JavaScript a phone must download before the first screen: the entry chunk and every chunk it
 * imports statically (the waiting screen). Gzip level 6, as servers use.
 */
export function initialJs(distDir: string): InitialJs {
  return measure(distDir, (_key, chunk) => chunk.isEntry === true);
}

/**
 * The JavaScript before the app runs (the tapped category goes on to the photo step): the entry, the
 * app's chunk and their static imports. Lazy chunks such as the map and the camera are not counted.
 */
export function appJs(distDir: string): InitialJs {
  return measure(distDir, (key, chunk) => chunk.isEntry === true || key === appModule);
}

function measure(distDir: string, isRoot: (key: string, chunk: ManifestChunk) => boolean): InitialJs {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (isRoot(key, chunk)) visit(key);
  const files = [...seen].map((file) => {
    const content = readFileSync(join(distDir, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 6 }).length };
  });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}
