import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Sandboxed preloads cannot load ES modules or local files: one self-contained CommonJS file. */
export default defineConfig({
  build: {
    outDir: here('./dist/electron'),
    emptyOutDir: false,
    target: 'chrome140',
    ssr: true,
    lib: { entry: here('./src/preload/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
