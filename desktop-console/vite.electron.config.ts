import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Electron main: one ES module for Node, Electron and node: built-ins left external. */
export default defineConfig({
  build: {
    outDir: here('./dist/electron'),
    emptyOutDir: false,
    target: 'node22',
    ssr: true,
    lib: { entry: here('./src/main/main.ts'), formats: ['es'], fileName: () => 'main.js' },
    rollupOptions: { external: ['electron', /^node:/] },
  },
});
