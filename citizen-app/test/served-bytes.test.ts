import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { builtApp } from '@palabre/command-api/http/built-app';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressible } from '../build/precompress-plugin.ts';
import { buildApp, repoRoot } from './support.ts';

/** What Chromium sends, and what an older client sends. */
const chromium = 'gzip, deflate, br, zstd';
const gzipOnly = 'gzip';

interface Served {
  status: number;
  encoding: string | null;
  body: Buffer;
}

/** The API's own handler for a built app, on a real port. */
async function serve(dir: string): Promise<{ get(path: string, acceptEncoding: string): Promise<Served>; close(): Promise<void> }> {
  const app = express();
  app.use('/app', builtApp(`${dir}/`));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    // Not fetch(), which decodes: the bytes on the wire are what a phone downloads.
    get: (path, acceptEncoding) =>
      new Promise((resolve, reject) => {
        http
          .get(`${base}/app/${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, encoding: response.headers['content-encoding'] ?? null, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !path.startsWith('.') && !/\.(br|gz)$/.test(path) && statSync(join(dir, path)).isFile())
    .map((path) => relative(dir, join(dir, path)))
    .sort();
}

function decoded(served: Served): Buffer {
  if (served.encoding === 'br') return brotliDecompressSync(served.body);
  if (served.encoding === 'gzip') return gunzipSync(served.body);
  return served.body;
}

describe('the citizen app served to a phone, whatever built it', () => {
  const work = mkdtempSync(join(tmpdir(), 'palabre-served-'));
  const bySuite = join(work, 'suite');
  const byStart = join(work, 'start');
  const consoleBuild = join(work, 'console');

  beforeAll(() => {
    // As the test suite builds it (support.ts), and as `npm start` does (scripts/build-ui.mjs: the workspace's build script).
    buildApp(bySuite);
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_ENV;
    for (const [workspace, outDir] of [['citizen-app', byStart], ['desktop-console', consoleBuild]] as const) {
      execFileSync('npm', ['run', 'build', '--silent', '-w', `@palabre/${workspace}`, '--', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: repoRoot, env, stdio: 'inherit' });
    }
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('answers every file with the same bytes from either build: Brotli to Chromium, gzip to a gzip-only client', async () => {
    const files = filesOf(bySuite);
    expect(filesOf(byStart)).toEqual(files);
    const [suite, start] = await Promise.all([serve(bySuite), serve(byStart)]);
    try {
      for (const file of files) {
        const content = readFileSync(join(bySuite, file));
        for (const acceptEncoding of [chromium, gzipOnly]) {
          const [a, b] = await Promise.all([suite.get(file, acceptEncoding), start.get(file, acceptEncoding)]);
          expect({ file, status: a.status, encoding: a.encoding }).toEqual({ file, status: 200, encoding: b.encoding });
          expect(a.body.equals(b.body), `${file} differs between the two builds`).toBe(true);
          expect(decoded(a).equals(content), `${file} decodes to the built file`).toBe(true);
          // Text worth compressing always goes compressed: the 2G case of issue 14 was 1.8 MB sent as is.
          if (compressible.test(file) && content.length > 1024) expect({ file, encoding: a.encoding }).toEqual({ file, encoding: acceptEncoding === chromium ? 'br' : 'gzip' });
        }
      }
      // The app's own routes are its index.html, compressed too.
      const route = await suite.get('reports/some-ticket', chromium);
      expect(route.encoding).toBe('br');
      expect(decoded(route).equals(readFileSync(join(bySuite, 'index.html')))).toBe(true);
    } finally {
      await Promise.all([suite.close(), start.close()]);
    }
  });

  it('serves the console the same way (one mechanism for both)', async () => {
    const served = await serve(consoleBuild);
    try {
      for (const file of filesOf(consoleBuild).filter((f) => compressible.test(f) && statSync(join(consoleBuild, f)).size > 1024)) {
        const answer = await served.get(file, chromium);
        expect({ file, encoding: answer.encoding }).toEqual({ file, encoding: 'br' });
        expect(decoded(answer).equals(readFileSync(join(consoleBuild, file)))).toBe(true);
      }
    } finally {
      await served.close();
    }
  });
});
