import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const prefix = '\0ionicon:';

/**
 * Makes each icon of `ionicons/icons` a module of its own, so it lands in the chunk of the screens
 * using it. The package is one module of a thousand icons: whatever the app uses of it went into
 * the first download (the waiting screen needs the category icons), every lazy screen's icons too.
 * `import { a, b as c } from 'ionicons/icons'` in our sources becomes one import per icon.
 */
export function ioniconsPerIcon(): Plugin {
  let icons: Map<string, string> | null = null;
  const iconsOf = () => {
    if (icons) return icons;
    const index = join(dirname(createRequire(import.meta.url).resolve('ionicons/icons')), 'index.mjs');
    icons = new Map([...readFileSync(index, 'utf8').matchAll(/^export const (\w+) = ("[^"\n]*");?$/gm)].map((m) => [m[1]!, m[2]!]));
    return icons;
  };
  return {
    name: 'palabre-ionicons-per-icon',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.tsx?$/.test(id) || !code.includes("from 'ionicons/icons'")) return null;
      const rewritten = code.replace(/import\s*\{([^}]*)\}\s*from\s*'ionicons\/icons';/g, (_whole, names: string) =>
        names
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
          .map((name) => {
            const [icon, local = icon] = name.split(/\s+as\s+/) as [string, string?];
            return `import ${local} from '${prefix}${icon}';`;
          })
          .join(' '),
      );
      return { code: rewritten, map: null };
    },
    resolveId(id) {
      return id.startsWith(prefix) ? id : null;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = id.slice(prefix.length);
      const icon = iconsOf().get(name);
      if (!icon) throw new Error(`ionicons/icons has no icon ${name}`);
      return `export default ${icon};`;
    },
  };
}
