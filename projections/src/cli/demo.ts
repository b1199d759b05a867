import pg from 'pg';
import { createPostgresEventStore } from '@palabre/event-store';
import { migrate } from '../migrate.js';
import { defaultProjectors } from '../projectors/index.js';
import { startProjectors } from '../runner.js';
import { withCommuneScope } from '../scope.js';
import { listTickets } from '../queries/index.js';
import { projectorStatus } from '../status.js';
import { openDatabase } from './database.js';
import { demoCommands } from './demo-script.js';
import { executeTicketCommand } from './execute-command.js';

/**
 * `npm start` until the API exists: files the demo reports of Soa and Dschang through the domain,
 * projects them, prints the tickets and stops. Running it again changes nothing.
 */
async function main(): Promise<void> {
  const database = await openDatabase((line) => console.log(line));
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  pool.on('error', () => {});
  try {
    const store = await createPostgresEventStore({ pool });
    await migrate(pool);

    let appended = 0;
    for (const command of demoCommands()) appended += (await executeTicketCommand(store, command)).appended;
    console.log(appended > 0 ? `Appended ${appended} events to the log.` : 'The demo events were already in the log; nothing appended.');

    const projectors = startProjectors(store, pool, defaultProjectors, {
      onError: (error, name) => console.error(`projector ${name}: ${(error as Error).message}`),
    });
    await projectors.waitFor(await store.headPosition());
    await projectors.stop();

    const page = await withCommuneScope(pool, '*', (client) => listTickets(client, { sort: 'reported_at', direction: 'asc', limit: 100 }));
    printTable(
      ['ticket', 'commune', 'quartier', 'category', 'status', 'priority', 'team', 'me too', 'reported (Douala)', 'late'],
      page.items.map((t) => [
        t.id,
        t.communeId ?? '',
        t.quartierId ?? '',
        t.category ?? '',
        t.status,
        t.priority,
        t.teamId ?? '',
        String(t.confirmations),
        t.reportedAt ? doualaTime(t.reportedAt) : '',
        t.breached ? 'yes' : 'no',
      ]),
    );
    console.log(`${page.total} tickets.`);
    for (const s of await projectorStatus(pool, store)) {
      console.log(`projector ${s.name}: at ${s.position ?? 'start'}, ${s.caughtUp ? 'caught up' : `${s.lagSeconds.toFixed(0)} s behind`}`);
    }
    await store.close();
  } finally {
    await pool.end();
    await database.stop();
  }
}

const doualaTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-CM', { timeZone: 'Africa/Douala', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => '─'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
