import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { appChunk } from './build/app-chunk-plugin.ts';
import { ioniconsPerIcon } from './build/ionicons-plugin.ts';
import { precacheManifest } from './build/precache-plugin.ts';
import { precompress } from './build/precompress-plugin.ts';

/** The first screen's data is fetched beside the code, not after it: one 2G round trip less before the categories show. */
const preloadReference = (): Plugin => ({
  name: 'palabre-preload-reference',
  transformIndexHtml: () =>
    ['/api/categories', '/api/communes'].map((path) => ({
      tag: 'link',
      attrs: { rel: 'preload', as: 'fetch', crossorigin: 'anonymous', href: `${process.env.VITE_PALABRE_API ?? ''}${path}` },
      injectTo: 'head-prepend' as const,
    })),
});

const domainSrc = fileURLToPath(new URL('../domain/src/', import.meta.url));
// The native shells serve dist/ at their own root; the API serves the same build at /app/.
const native = process.env.PALABRE_TARGET === 'native';
const app = appChunk();

export default defineConfig({
  base: native ? '/' : '/app/',
  plugins: [ioniconsPerIcon(), preloadReference(), app.plugin, precacheManifest(), precompress()],
  // JSX compiles to the automatic runtime; `react/jsx-runtime` is Preact's below.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  resolve: {
    alias: [
      // React's API on Preact (preact/compat): the same components in 10 KB instead of React DOM's 200 KB,
      // the largest single saving before the first screen on 2G (issue 14). Ionic React runs on it unchanged.
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
      // Import domain modules by path (e.g. @palabre/domain/geo/plus-code) so zod stays out of the bundle.
      { find: /^@palabre\/domain$/, replacement: `${domainSrc}index.ts` },
      { find: /^@palabre\/domain\/(.+)$/, replacement: `${domainSrc}$1.ts` },
      { find: /^@palabre\/outbox$/, replacement: fileURLToPath(new URL('../outbox/src/index.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    manifest: true,
    sourcemap: false,
    assetsInlineLimit: 2048,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      treeshake: {
        // @ionic/react imports every Ionic component; its modules only define elements when asked,
        // so the ones the app never renders can go (this is most of Ionic).
        moduleSideEffects: [{ test: /@ionic\/core\/components\/ion-[a-z-]+\.js$/, sideEffects: false }],
      },
      output: { codeSplitting: { groups: [app.group] } },
    },
  },
  server: {
    port: 5174,
    proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'http://localhost:8080', ws: true } },
  },
});
