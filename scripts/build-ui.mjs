// Builds the console renderer and the citizen app with Vite when their sources changed since the last build
// (Vite writes the compressed copies the API serves: citizen-app/build/precompress-plugin.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const apps = [
  { workspace: 'desktop-console', output: 'desktop-console/dist/renderer/index.html', sources: ['desktop-console/src/renderer', 'desktop-console/src/shared', 'desktop-console/vite.config.ts', 'citizen-app/build/precompress-plugin.ts', 'domain/src', 'outbox/src'] },
  { workspace: 'citizen-app', output: 'citizen-app/dist/index.html', sources: ['citizen-app/src', 'citizen-app/public', 'citizen-app/index.html', 'citizen-app/vite.config.ts', 'citizen-app/build', 'domain/src', 'outbox/src'] },
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

for (const app of apps) {
  if (!existsSync(join(app.workspace, 'package.json'))) continue;
  const built = existsSync(app.output) ? statSync(app.output).mtimeMs : 0;
  if (built >= Math.max(...app.sources.map(newest))) continue;
  console.log(`Building ${app.workspace}…`);
  try {
    execFileSync('npm', ['run', 'build', '--silent', '-w', `@palabre/${app.workspace}`], { stdio: 'inherit' });
  } catch {
    // The API still starts; it answers 404 under the app's path until the build is fixed.
    console.error(`\n${app.workspace} could not be built (see above); the API starts without it.\n`);
    process.exitCode = 0;
  }
}
