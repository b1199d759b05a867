import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { type Plugin, defineConfig } from 'vite';
import { precompress } from '../citizen-app/build/precompress-plugin.ts';
import { contentSecurityPolicy } from './src/main/security.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const api = process.env.PALABRE_URL ?? 'http://localhost:8080';

/** The built page carries its CSP (browsers); the dev server's inline React refresh preamble would break it. */
const cspMeta = (): Plugin => ({
  name: 'palabre-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy }, injectTo: 'head-prepend' },
  ],
});

export default defineConfig({
  root: here('./src/renderer'),
  base: '/console/',
  plugins: [react(), cspMeta(), precompress()],
  resolve: {
    alias: [
      { find: /^@palabre\/domain$/, replacement: here('../domain/src/index.ts') },
      { find: /^@palabre\/outbox$/, replacement: here('../outbox/src/index.ts') },
    ],
  },
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // Big libraries in their own long-lived chunks: a console update re-downloads only the app.
        manualChunks: (id: string) => {
          if (id.includes('node_modules/maplibre-gl')) return 'maplibre';
          if (id.includes('node_modules/ag-grid')) return 'ag-grid';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
