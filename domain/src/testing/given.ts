import type { Actor, CommandMeta } from '../shared/command.js';
import { type TicketCommand, type TicketCommandOf, type TicketCommandType, parseTicketCommand } from '../ticket/commands.js';
import { decide, replay, ticketDecider } from '../ticket/decider.js';
import { type Outcome, scenariosOf } from './scenario.js';
import type { TicketEvent } from '../ticket/events.js';
import type { Ticket, TicketPolicy } from '../ticket/state.js';

/** The instant most tests happen at; later steps use `at(...)`. */
export const defaultNow = '2026-03-02T08:00:00.000Z';
export const defaultTicketId = 'T-1';

export const actors = {
  reporter: { id: 'citizen-1', role: 'citizen' },
  neighbour: { id: 'citizen-2', role: 'citizen' },
  dispatcher: { id: 'dispatcher-1', role: 'dispatcher' },
  agent: { id: 'agent-1', role: 'field_agent' },
  admin: { id: 'admin-1', role: 'admin' },
  auditor: { id: 'auditor-1', role: 'auditor' },
  system: { id: 'system', role: 'system' },
} as const satisfies Record<string, Actor>;

/** Command metadata as the edge would set it: a dispatcher of Soa, at `defaultNow`. */
export function meta(overrides: Partial<CommandMeta> = {}): CommandMeta {
  return { commandId: 'cmd-1', now: defaultNow, actor: actors.dispatcher, communeId: 'soa', ...overrides };
}

/** An ISO instant `hours` after `defaultNow`. */
export const at = (hours: number): string => new Date(Date.parse(defaultNow) + hours * 3_600_000).toISOString();

type DataInput<T extends TicketCommandType> = Partial<TicketCommandOf<T>['data']>;

function command<T extends TicketCommandType>(type: T, defaults: object, data: object, metaOverrides: Partial<CommandMeta>) {
  // Parsing through the real schema proves every builder yields a command the API would accept.
  return parseTicketCommand(type, { ticketId: defaultTicketId, ...defaults, ...data }, meta(metaOverrides));
}

export const submitReport = (data: DataInput<'SubmitReport'> = {}, m: Partial<CommandMeta> = {}) =>
  command(
    'SubmitReport',
    {
      category: 'voirie',
      subcategory: 'nids-de-poule',
      description: 'Un grand nid-de-poule devant le marché',
      location: { lat: 3.9915, lon: 11.5975, accuracy: 8 },
      landmark: 'Devant le marché de Soa',
      reporterId: actors.reporter.id,
      channel: 'app',
      routing: { communeId: 'soa', quartierId: 'soa-centre', teamId: 'soa-voirie', rule: { boundary: 'commune:soa/quartier:soa-centre', team: 'category:voirie' } },
    },
    data,
    { actor: actors.reporter, communeId: null, ...m },
  );

export const confirmReport = (data: DataInput<'ConfirmReport'> = {}, m: Partial<CommandMeta> = {}) =>
  command('ConfirmReport', { citizenId: actors.neighbour.id }, data, { actor: actors.neighbour, communeId: null, ...m });

export const triage = (data: DataInput<'TriageTicket'> = {}, m: Partial<CommandMeta> = {}) =>
  command('TriageTicket', { priority: 'high' }, data, m);

export const assign = (data: DataInput<'AssignTicket'> = {}, m: Partial<CommandMeta> = {}) =>
  command('AssignTicket', { teamId: 'soa-voirie', agentId: actors.agent.id }, data, m);

export const startWork = (data: DataInput<'StartWork'> = {}, m: Partial<CommandMeta> = {}) =>
  command('StartWork', {}, data, { actor: actors.agent, ...m });

export const addNote = (data: DataInput<'AddNote'> = {}, m: Partial<CommandMeta> = {}) =>
  command('AddNote', { noteId: 'note-1', text: 'Équipe prévue jeudi matin', visibility: 'public' }, data, m);

export const resolve = (data: DataInput<'ResolveTicket'> = {}, m: Partial<CommandMeta> = {}) =>
  command('ResolveTicket', { note: 'Nid-de-poule rebouché', mediaIds: ['media-after-1'] }, data, { actor: actors.agent, ...m });

export const confirmResolution = (data: DataInput<'ConfirmResolution'> = {}, m: Partial<CommandMeta> = {}) =>
  command('ConfirmResolution', {}, data, { actor: actors.reporter, communeId: null, ...m });

export const disputeResolution = (data: DataInput<'DisputeResolution'> = {}, m: Partial<CommandMeta> = {}) =>
  command('DisputeResolution', { note: 'Le trou est toujours là' }, data, { actor: actors.reporter, communeId: null, ...m });

export const closeTicket = (data: DataInput<'CloseTicket'> = {}, m: Partial<CommandMeta> = {}) =>
  command('CloseTicket', {}, data, m);

export const reject = (data: DataInput<'RejectTicket'> = {}, m: Partial<CommandMeta> = {}) =>
  command('RejectTicket', { reason: 'out_of_scope', note: 'Route nationale : relève du ministère' }, data, m);

export const markDuplicate = (data: DataInput<'MarkDuplicate'> = {}, m: Partial<CommandMeta> = {}) =>
  command('MarkDuplicate', { duplicateOf: 'T-0' }, data, m);

/** The events a sequence of accepted commands leaves in a stream: the usual way to write a `given`. */
export function historyOf(...commands: TicketCommand[]): TicketEvent[] {
  const events: TicketEvent[] = [];
  for (const c of commands) events.push(...decide(c, replay(events)));
  return events;
}

/** The common path, one hour apart: reported, triaged, assigned, in progress, resolved. */
const commonPath = (): TicketCommand[] => [
  submitReport(),
  triage({}, { now: at(1) }),
  assign({}, { now: at(2) }),
  startWork({}, { now: at(3) }),
  resolve({}, { now: at(4) }),
];

/** Ready-made histories ending in each status. */
export const histories = {
  reported: () => historyOf(...commonPath().slice(0, 1)),
  triaged: () => historyOf(...commonPath().slice(0, 2)),
  assigned: () => historyOf(...commonPath().slice(0, 3)),
  inProgress: () => historyOf(...commonPath().slice(0, 4)),
  resolved: () => historyOf(...commonPath()),
  reopened: () => historyOf(...commonPath(), disputeResolution({}, { now: at(5) })),
  closed: () => historyOf(...commonPath(), confirmResolution({}, { now: at(5) })),
  rejected: () => historyOf(submitReport(), reject({}, { now: at(1) })),
  duplicate: () => historyOf(submitReport(), markDuplicate({}, { now: at(1) })),
};

/** A ticket scenario: the shared given/when/then, plus `thenTicket` for asserting on the ticket. */
export interface TicketScenario {
  when(command: TicketCommand): Outcome<TicketEvent, Ticket> & { thenTicket(): Ticket };
}

/** given(history).when(command).then(events) for tickets, optionally under a non-default policy. */
export function given(history: readonly TicketEvent[], policy?: TicketPolicy): TicketScenario {
  const scenario = scenariosOf<TicketCommand, TicketEvent, Ticket>({ ...ticketDecider, decide: (c, t) => decide(c, t, policy) })(history);
  return {
    when(cmd) {
      const outcome = scenario.when(cmd);
      return { ...outcome, thenTicket: outcome.thenState };
    },
  };
}
