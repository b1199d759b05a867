import { z } from 'zod';
import { type CommandMeta, commandMetaSchema, idSchema, isAgentRole } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import { DomainRuleError } from '../shared/errors.js';
import { createEventParser, firstVersions, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';
import { type Consultation, requireExisting } from './decider.js';

/**
 * A polling table of a consultation, in a stream of its own: the tally sheet its agent photographs
 * when the table closes. Its own stream, so an agent (perhaps offline for hours) never contends with
 * the organiser's If-Match on the consultation, and a sheet changes no count: it is evidence
 * beside the log's own count of that table's paper ballots. A later sheet is a correction; both stay.
 */
export const tallySheetSchema = z.object({
  pollingTableId: idSchema,
  /** Photos of the sheet (media library), at least one. */
  mediaIds: z.array(idSchema).min(1).max(5),
  ballotsOnSheet: z.number().int().min(0).max(100_000),
  note: z.string().trim().max(1000).nullable(),
});
export type TallySheet = z.infer<typeof tallySheetSchema>;

export const pollingTableCommandDataSchemas = {
  /** An agent attaches the photos of their polling table's tally sheet when the table closes. */
  AttachTallySheet: tallySheetSchema.extend({ consultationId: idSchema }),
} as const;

export const pollingTableEventDataSchemas = {
  TallySheetAttached: tallySheetSchema.extend({ consultationId: idSchema, attachedBy: idSchema, attachedAt: z.iso.datetime({ offset: true }) }),
} as const;

type Meta = z.infer<typeof commandMetaSchema>;
export type PollingTableCommand = { type: 'AttachTallySheet'; data: z.infer<(typeof pollingTableCommandDataSchemas)['AttachTallySheet']>; meta: Meta };
export type TallySheetAttached = z.infer<(typeof pollingTableEventDataSchemas)['TallySheetAttached']>;
export type PollingTableEvent = { type: 'TallySheetAttached'; data: TallySheetAttached };

export const pollingTableEventVersions = firstVersions(pollingTableEventDataSchemas);
export const pollingTableUpcasters = new UpcasterRegistry();
export const parsePollingTableEvent = createEventParser({
  schemas: pollingTableEventDataSchemas,
  versions: pollingTableEventVersions,
  upcasters: pollingTableUpcasters,
}) as (raw: StoredEventData) => PollingTableEvent;

export function parsePollingTableCommand(data: unknown, meta: unknown): PollingTableCommand {
  return { type: 'AttachTallySheet', data: pollingTableCommandDataSchemas.AttachTallySheet.parse(data), meta: commandMetaSchema.parse(meta) };
}

/** A table's id within its consultation (ids hold no newline; the stream name is `polling-table-…`). */
export const pollingTableId = (consultationId: string, tableId: string): string => `${consultationId}-${tableId}`;
export const pollingTableStreamId = (id: string): string => `polling-table-${id}`;

export interface PollingTable {
  readonly sheets: number;
}

const refuse = (code: string, message: string): never => {
  throw new DomainRuleError(code, message);
};

/** Agents record what happens at their commune's polling tables; national staff at any. */
function requireAgent(meta: CommandMeta, communeId: string | null): void {
  if (!isAgentRole(meta.actor.role)) refuse('consultation.forbidden', 'Only commune agents may attach a tally sheet.');
  if (meta.communeId !== null && communeId !== null && meta.communeId !== communeId) {
    refuse('consultation.forbidden', `This consultation belongs to commune ${communeId}; you act for commune ${meta.communeId}.`);
  }
}

/** Decides a tally sheet against the consultation's current state, loaded by the edge from its own stream. */
export function decidePollingTable(command: PollingTableCommand, _table: PollingTable, consultation: Consultation): PollingTableEvent[] {
  const { consultationId, ...sheet } = command.data;
  requireExisting(consultation, consultationId);
  requireAgent(command.meta, consultation.communeId);
  if (consultation.status === 'draft') refuse('consultation.not_open', 'This consultation has not opened: no polling table has a sheet yet.');
  // Open, closed or published: the sheet counts nothing, so a table that syncs late still files it.
  return [{ type: 'TallySheetAttached', data: { consultationId, ...sheet, attachedBy: command.meta.actor.id, attachedAt: command.meta.now } }];
}

/** A polling table as the engine sees it, bound to its consultation's current state. */
export function pollingTableDecider(consultation: Consultation): Decider<PollingTableCommand, PollingTableEvent, PollingTable> {
  return {
    streamId: pollingTableStreamId,
    initialState: () => ({ sheets: 0 }),
    decide: (command, table) => decidePollingTable(command, table, consultation),
    evolve: (table) => ({ sheets: table.sheets + 1 }),
    parseEvent: parsePollingTableEvent,
    eventVersions: pollingTableEventVersions,
  };
}
