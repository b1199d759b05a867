import type { Plugin } from 'vite';
import { appModule } from './initial-js.ts';

/**
 * Keeps the app's own code (Preact, Ionic, the first screens) in one chunk with the app module, as
 * it was before the other screens became lazy. Left to itself, the bundler splits what the app and
 * the lazy screens share into a dozen small chunks: each costs a request on 2G, and gzip compresses
 * them apart, a few hundred bytes each. The group holds exactly what the app module imports
 * statically and the small entry (the waiting screen) does not; the lazy screens import from it.
 */
export function appChunk() {
  let appCode = new Set<string>();
  const plugin: Plugin = {
    name: 'palabre-app-chunk',
    apply: 'build',
    buildEnd() {
      const ids = [...this.getModuleIds()];
      const staticClosure = (roots: readonly string[]) => {
        const seen = new Set<string>();
        const visit = (id: string) => {
          if (seen.has(id)) return;
          seen.add(id);
          for (const imported of this.getModuleInfo(id)?.importedIds ?? []) visit(imported);
        };
        roots.forEach(visit);
        return seen;
      };
      const app = ids.find((id) => id.endsWith(appModule));
      if (!app) throw new Error(`${appModule} is not in the build`);
      const entry = staticClosure(ids.filter((id) => this.getModuleInfo(id)?.isEntry));
      // The app module stays a chunk of its own (boot-*.js), which the entry imports and which imports this group.
      appCode = new Set([...staticClosure([app])].filter((id) => id !== app && !entry.has(id)));
    },
  };
  // Without its dependencies: those of the entry must stay in the entry. Every other dependency of a
  // module in the group is in the group too (it is the static closure), so no chunk imports in a circle.
  const group = { name: 'app', test: (id: string) => appCode.has(id), includeDependenciesRecursively: false };
  return { plugin, group };
}
