import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/** The files a server sends compressed; images and fonts are compressed already. */
export const compressible = /\.(js|mjs|css|html|json|webmanifest|svg|txt|xml)$/;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Writes `.br` (Brotli 11) and `.gz` (gzip 9) copies beside every text file of the build, so the API
 * (and nginx's gzip_static/brotli_static) sends them as they are, whoever ran `vite build`.
 * Used by the citizen app and the console alike.
 */
export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'palabre-precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    // After every other plugin's closeBundle: the service worker's file list is written into sw.js there.
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        await precompressDir(resolve(config.root, config.build.outDir));
      },
    },
  };
}

/** Compresses every text file under `dir` (dot folders such as .vite/ are not served and are skipped). */
export async function precompressDir(dir: string): Promise<void> {
  const files = await textFiles(dir);
  // zlib's async calls run on libuv's thread pool: all cores, not only this one.
  await Promise.all(files.map(compressFile));
}

async function textFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await textFiles(path)));
    else if (compressible.test(entry.name)) found.push(path);
  }
  return found;
}

async function compressFile(path: string): Promise<void> {
  const content = await readFile(path);
  const [br, gz] = await Promise.all([
    brotliAsync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
    gzipAsync(content, { level: 9 }),
  ]);
  // A copy no smaller than the file (a tiny chunk) would only cost a header.
  if (br.length < content.length) await writeFile(`${path}.br`, br);
  if (gz.length < content.length) await writeFile(`${path}.gz`, gz);
}
