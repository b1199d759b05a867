import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/**
 * A single-page app built by Vite (the console, the citizen app): each file as its build's Brotli or
 * gzip copy when the client takes it (a phone on 2G loads 4 to 5 times fewer bytes), and index.html
 * for the app's own routes. The copies are the build's (`precompress-plugin.ts`), never made per request.
 */
export function builtApp(dir: string): Router {
  const router = express.Router();
  router.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // Relative links resolve under /app/, not at the root.
    if (request.path === '/' && !request.originalUrl.split('?')[0]!.endsWith('/')) return response.redirect(301, `${request.baseUrl}/`);
    const path = decodedPath(request.path);
    if (path === null) return next();
    if (isServable(dir, path)) return sendFile(request, response, dir, path);
    // The app's own routes (/report, /reports/…) are its index.html; a missing file stays a 404.
    if (extname(path) === '' && isServable(dir, '/index.html')) return sendFile(request, response, dir, '/index.html');
    next();
  });
  return router;
}

/** Where a compressed copy exists, the extension that names it, by the server's preference. */
const encodings = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

const textTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

function decodedPath(path: string): string | null {
  try {
    return path === '/' ? '/index.html' : decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** A file of the build, not a folder, nor a dot file (.vite/ holds the build's own manifest). */
function isServable(dir: string, path: string): boolean {
  if (path.includes('/.') || path.includes('..')) return false;
  try {
    return statSync(join(dir, path)).isFile();
  } catch {
    return false;
  }
}

function sendFile(request: Request, response: Response, dir: string, path: string): void {
  response.setHeader('Cache-Control', cacheControl(path));
  const type = textTypes[extname(path)];
  if (type) {
    // Caches keep one copy per encoding: the answer depends on Accept-Encoding even when uncompressed.
    response.vary('Accept-Encoding');
    const taken = acceptedEncodings(request.header('accept-encoding'));
    const encoding = encodings.find((e) => taken(e.name) && existsSync(join(dir, path + e.extension)));
    if (encoding) {
      response.setHeader('Content-Encoding', encoding.name);
      response.setHeader('Content-Type', type);
      response.sendFile(path + encoding.extension, { root: dir, cacheControl: false });
      return;
    }
  }
  response.sendFile(path, { root: dir, cacheControl: false });
}

/** Hashed assets never change; the page, the service worker and the manifest are checked every time. */
function cacheControl(path: string): string {
  if (path.endsWith('.html') || path.endsWith('/sw.js') || path.endsWith('.webmanifest')) return 'no-cache';
  return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
}

/** Whether the client takes an encoding, by RFC 9110's Accept-Encoding (q=0 refuses, `*` stands for the rest). */
export function acceptedEncodings(header: string | undefined): (encoding: string) => boolean {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = parameters.find((p) => p.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  return (encoding) => (weights.get(encoding) ?? weights.get('*') ?? 0) > 0;
}
