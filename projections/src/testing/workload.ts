import {
  type ActorRole,
  type Ticket,
  type TicketCommand,
  type TicketCommandType,
  decide,
  demoCategories,
  demoCommunes,
  demoTeams,
  evolve,
  initialState,
  parseTicketCommand,
  ticketStreamId,
} from '@palabre/domain';
import type pg from 'pg';
import { type EventStore, type GlobalPosition, type PostgresEventStore, eventIdFor } from '@palabre/event-store';
import { toNewEvents } from '../cli/execute-command.js';

/** Deterministic pseudo-random numbers (mulberry32): the same seed writes the same log. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Step {
  at: number;
  ticketId: string;
  type: TicketCommandType;
  data: Record<string, unknown>;
  actor: { id: string; role: ActorRole };
  communeId: string | null;
}

export interface WorkloadOptions {
  readonly tickets: number;
  readonly seed?: number;
  /** First report, ISO (default 2026-03-01T20:00Z, so days straddle midnight in Douala). */
  readonly start?: string;
  readonly ticketPrefix?: string;
  /** Append in transactions of this many commands through the PostgreSQL store (fast seeding of large logs). */
  readonly bulk?: { readonly store: PostgresEventStore; readonly pool: pg.Pool; readonly commandsPerTransaction: number };
}

/**
 * Appends a realistic, interleaved log through the domain decider: reports in Soa and Dschang with
 * "me too"s, triage, assignment, work, notes, resolutions, disputes, rejections, duplicates, plus
 * a few events of other streams that projectors must skip. Returns how many events were appended
 * and the position of the last one.
 */
export async function appendWorkload(store: EventStore, options: WorkloadOptions): Promise<{ events: number; last: GlobalPosition | null }> {
  const rand = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;
  const start = Date.parse(options.start ?? '2026-03-01T20:00:00.000Z');
  const prefix = options.ticketPrefix ?? 'W';
  const minute = 60_000;
  const steps: Step[] = [];
  const reported: Record<string, string[]> = {};

  for (let i = 0; i < options.tickets; i++) {
    const ticketId = `${prefix}-${String(i).padStart(5, '0')}`;
    const commune = pick(demoCommunes);
    const quartier = pick(commune.quartiers);
    const ring = quartier.boundary.type === 'Polygon' ? quartier.boundary.coordinates[0]! : quartier.boundary.coordinates[0]![0]!;
    const [lon, lat] = ring[0]!;
    const category = pick(demoCategories);
    const team = demoTeams.find((t) => t.communeId === commune.id && t.categories.includes(category.id)) ?? null;
    const reporter = `citizen-${Math.floor(rand() * 400)}`;
    const staff = { id: `dispatcher-${commune.id}`, role: 'dispatcher' as const };
    const agent = { id: `agent-${commune.id}-${Math.floor(rand() * 5)}`, role: 'field_agent' as const };
    let t = start + i * 9 * minute;
    const step = (type: TicketCommandType, data: Record<string, unknown>, actor: Step['actor'], after: number) => {
      t += after * minute;
      steps.push({ at: t, ticketId, type, data: { ticketId, ...data }, actor, communeId: actor.role === 'citizen' ? null : commune.id });
    };

    step(
      'SubmitReport',
      {
        category: category.id,
        subcategory: category.subcategories[0]?.id ?? null,
        description: `${pick(['Gros', 'Petit', 'Dangereux'])} problème ${i} près du ${pick(['marché', 'carrefour', 'lycée', 'puits'])}`,
        location: { lat: lat + rand() * 0.004, lon: lon + rand() * 0.004, accuracy: chance(0.8) ? Math.round(rand() * 30) : null },
        landmark: chance(0.6) ? `près de ${pick(['la pharmacie', 'l’église', 'la station Total', 'l’école publique'])}` : null,
        reporterId: reporter,
        anonymous: chance(0.1),
        confidential: chance(0.05),
        channel: pick(['app', 'web', 'sms'] as const),
        routing: {
          communeId: commune.id,
          quartierId: quartier.id,
          teamId: team?.id ?? null,
          rule: { boundary: `quartier:${quartier.id}`, team: team ? `category:${category.id}` : null },
        },
      },
      { id: reporter, role: 'citizen' },
      0,
    );
    const confirmations = Math.floor(rand() * 4);
    for (let c = 0; c < confirmations; c++) {
      const citizenId = `citizen-${400 + Math.floor(rand() * 200)}`;
      step('ConfirmReport', { citizenId }, { id: citizenId, role: 'citizen' }, 1 + Math.floor(rand() * 30));
    }
    if (!chance(0.85)) continue;
    step('TriageTicket', { priority: pick(['low', 'normal', 'high', 'urgent']), ...(chance(0.1) ? { category: 'autre', subcategory: null } : {}) }, staff, 5 + Math.floor(rand() * 900));
    if (chance(0.2)) step('AddNote', { noteId: `${ticketId}-n1`, text: 'Vérifier avec le chef de quartier', visibility: 'internal' }, staff, 3);
    const earlier = (reported[commune.id] ??= []);
    if (earlier.length > 0 && chance(0.05)) {
      step('MarkDuplicate', { duplicateOf: pick(earlier) }, staff, 10);
      continue;
    }
    earlier.push(ticketId);
    if (chance(0.08)) {
      step('RejectTicket', { reason: pick(['out_of_scope', 'insufficient_information']), note: 'Hors compétence communale' }, staff, 20);
      continue;
    }
    step('AssignTicket', { teamId: team?.id ?? `${commune.id}-autre`, agentId: chance(0.5) ? agent.id : null }, staff, 10 + Math.floor(rand() * 120));
    if (chance(0.1)) step('AssignTicket', { teamId: `${commune.id}-autre`, agentId: null }, staff, 30);
    if (!chance(0.75)) continue;
    step('StartWork', {}, agent, 60 + Math.floor(rand() * 2000));
    if (chance(0.3)) step('AddNote', { noteId: `${ticketId}-n2`, text: 'Matériel commandé', visibility: 'public' }, agent, 15);
    if (!chance(0.7)) continue;
    step('ResolveTicket', { note: 'Réparé', mediaIds: chance(0.5) ? [`${ticketId}-photo`] : [] }, agent, 120 + Math.floor(rand() * 4000));
    if (chance(0.15)) {
      step('DisputeResolution', { note: 'Toujours pas réparé' }, { id: reporter, role: 'citizen' }, 200);
      step('ResolveTicket', { note: 'Réparé pour de bon' }, agent, 600);
    }
    if (chance(0.5)) step('ConfirmResolution', { note: null }, { id: reporter, role: 'citizen' }, 300 + Math.floor(rand() * 3000));
  }

  // Interleave tickets as a real day would; ties keep per-ticket order.
  steps.sort((a, b) => a.at - b.at);
  const states = new Map<string, { ticket: Ticket; revision: number }>();
  let appended = 0;
  let last: GlobalPosition | null = null;
  let bulkClient: pg.PoolClient | null = null;
  let inTransaction = 0;
  for (const [n, step] of steps.entries()) {
    const command = parseTicketCommand(step.type, step.data, {
      commandId: `${prefix}-cmd-${n}`,
      now: new Date(step.at).toISOString(),
      actor: step.actor,
      communeId: step.communeId,
    }) as TicketCommand;
    const current = states.get(step.ticketId) ?? { ticket: initialState(), revision: -1 };
    const events = decide(command, current.ticket);
    if (events.length === 0) continue;
    const stream = ticketStreamId(step.ticketId);
    const expected = current.revision < 0 ? 'no_stream' : current.revision;
    let result;
    if (options.bulk) {
      if (!bulkClient) {
        bulkClient = await options.bulk.pool.connect();
        await bulkClient.query('BEGIN');
      }
      result = await options.bulk.store.appendInTransaction(bulkClient, stream, toNewEvents(command, current.ticket, events), expected);
      if (++inTransaction >= options.bulk.commandsPerTransaction) {
        await bulkClient.query('COMMIT');
        bulkClient.release();
        bulkClient = null;
        inTransaction = 0;
      }
    } else {
      result = await store.append(stream, toNewEvents(command, current.ticket, events), expected);
    }
    last = result.position;
    states.set(step.ticketId, { ticket: events.reduce(evolve, current.ticket), revision: current.revision + events.length });
    appended += events.length;
    if (n % 500 === 0 && !options.bulk) {
      last = await appendForeignEvent(store, `${prefix}-${n}`, step.at);
      appended += 1;
    }
  }
  if (bulkClient) {
    await bulkClient.query('COMMIT');
    bulkClient.release();
  }
  return { events: appended, last };
}

/** An event of another aggregate: ticket projectors must skip it and still move their checkpoint. */
async function appendForeignEvent(store: EventStore, id: string, at: number): Promise<GlobalPosition> {
  const commandId = `${id}-staff`;
  const result = await store.append(`staff-${id}`, [
    {
      type: 'StaffMemberCreated',
      data: { staffId: id, role: 'dispatcher' },
      metadata: {
        eventId: eventIdFor(commandId, 0),
        commandId,
        correlationId: commandId,
        causationId: commandId,
        actor: { id: 'admin-1', role: 'admin' },
        communeId: 'soa',
        recordedAt: new Date(at).toISOString(),
        schemaVersion: 1,
      },
    },
  ], 'no_stream');
  return result.position;
}
