// tsc compiles only TypeScript: copy the SQL files kept beside their code into each dist/.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const workspaces = ['domain', 'event-store', 'projections', 'command-api', 'audit', 'observability', 'bench'];
const assets = /\.(sql|json|html|css)$/;

function copyTree(from, to) {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) copyTree(source, join(to, entry));
    else if (assets.test(entry) && !entry.endsWith('.d.json')) cpSync(source, join(to, entry));
  }
}

for (const workspace of workspaces) {
  if (existsSync(join(workspace, 'src')) && existsSync(join(workspace, 'dist'))) copyTree(join(workspace, 'src'), join(workspace, 'dist'));
}
