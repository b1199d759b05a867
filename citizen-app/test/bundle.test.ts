import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appJs, initialJs } from '../build/initial-js.ts';
import { distDir, ensureBuilt } from './support.ts';

beforeAll(() => ensureBuilt(), 120_000);

describe('the built app', () => {
  it('needs at most 12 KB of gzipped JavaScript before the first screen, and 135 KB before the app runs, the map excluded', () => {
    // The waiting screen (app/waiting-screen.ts) draws the category tiles from the entry alone.
    const initial = initialJs(distDir);
    expect(initial.gzipBytes).toBeLessThanOrEqual(12 * 1024);
    // Each 30 KB is a second more on 2G (250 kbit/s): React's API runs on Preact (vite.config.ts), and Ionic's
    // form controls and toast stay out (components/Field.tsx). It was about 190 KB with React DOM.
    const app = appJs(distDir);
    expect(app.gzipBytes).toBeLessThanOrEqual(135 * 1024);
    expect(app.files.length).toBeGreaterThan(initial.files.length);
    expect([...initial.files, ...app.files].some((f) => /MapView|maplibre/i.test(f.file))).toBe(false);
  });

  it('is an installable PWA whose service worker precaches exactly the app shell of this build', () => {
    const manifest = JSON.parse(readFileSync(join(distDir, 'manifest.webmanifest'), 'utf8'));
    expect(manifest).toMatchObject({ start_url: '/app/', scope: '/app/', display: 'standalone', lang: 'fr' });
    for (const icon of manifest.icons as { src: string }[]) expect(existsSync(join(distDir, icon.src))).toBe(true);
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

    const sw = readFileSync(join(distDir, 'sw.js'), 'utf8');
    const shell = JSON.parse(/const SHELL = (\[.*\]);/.exec(sw)![1]!) as string[];
    expect(sw).not.toContain("const VERSION = 'dev'");
    expect(shell).toContain('/app/index.html');
    for (const file of appJs(distDir).files) expect(shell).toContain(`/app/${file.file}`);
    for (const url of shell) expect(existsSync(join(distDir, url.replace(/^\/app\//, '')))).toBe(true);
  });

  it('uses no web fonts', () => {
    const css = readFileSync(join(distDir, 'index.html'), 'utf8');
    expect(css).not.toMatch(/fonts\.googleapis|@font-face/);
  });
});
