import { encodePlusCode } from '@palabre/domain';
import { type EventEnvelope, streamTypeOf } from '../log/envelope.js';
import type { ContactStatuses } from './contact-status.js';
import type { People } from './pseudonyms.js';
import type { TrackedTicket } from './tickets.js';

/** CSV columns: the envelope, then the ticket fields flattened; anything else lands in `otherData`. */
export const CSV_COLUMNS = [
  'leafIndex', 'eventId', 'stream', 'streamType', 'revision', 'type', 'recordedAt', 'communeId', 'actorRole', 'actor',
  'ticketId', 'category', 'subcategory', 'priority', 'quartierId', 'teamId', 'agent', 'previousTeamId', 'previousAgent',
  'lat', 'lon', 'accuracy', 'channel', 'anonymous', 'confidential', 'reporter', 'citizen', 'contactSubjectId', 'contactStatus',
  'visibility', 'reason', 'duplicateOf', 'text', 'otherData',
] as const;

const FLATTENED = new Set(['ticketId', 'category', 'subcategory', 'priority', 'quartierId', 'teamId', 'agentId', 'previousTeamId', 'previousAgentId',
  'location', 'channel', 'anonymous', 'confidential', 'reporterId', 'citizenId', 'contactSubjectId', 'visibility', 'reason', 'duplicateOf',
  'description', 'note', 'text', 'landmark', 'communeId']);
/** Never in the readable files unless staff names are allowed. */
const NAME_FIELDS = new Set(['username', 'name', 'displayName', 'phone', 'email']);
/** Staff who acted (`answeredBy`, `mergedBy`, a moderator's `by` …): shown as staff are, never by raw account id. */
export const isStaffField = (key: string, value: unknown): value is string => typeof value === 'string' && /(^b|B)y$/.test(key) && value !== 'flags' && value !== 'system';

/** A proposal's author: a resident is never named (the actor column has their pseudonym), a group is by its own name. */
function authorOf(author: unknown, people: People): unknown {
  const a = author as { kind?: unknown; name?: unknown; filedBy?: unknown } | null;
  if (a?.kind === 'citizen') return { kind: 'citizen' };
  if (a?.kind === 'group') return { kind: 'group', name: a.name, filedBy: people.staff(typeof a.filedBy === 'string' ? a.filedBy : null) };
  return author;
}

/** A stream named after a citizen (`support-{proposal}-{citizen}`, `citizen-{citizen}`) shows their pseudonym instead. */
function streamShown(stream: string, citizenId: unknown, people: People): string {
  if (typeof citizenId !== 'string' || !stream.endsWith(`-${citizenId}`)) return stream;
  return `${stream.slice(0, stream.length - citizenId.length)}${people.citizen(citizenId)}`;
}

/** Free text of a confidential ticket stays in events.jsonl (it is evidence) but out of the readable files. */
const WITHHELD = '[withheld: confidential ticket]';

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** A CSV cell (RFC 4180), defused for spreadsheets: a leading = + - @ is not run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Two decimals (about 1 km): where a confidential report was, without pointing at a door. */
const coarse = (n: number) => Math.round(n * 100) / 100;

export function csvRow(leafIndex: number, e: EventEnvelope, ticket: TrackedTicket | null, people: People, contacts: ContactStatuses): string {
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, any>;
  const confidential = ticket?.state.confidential === true || d.confidential === true;
  const anonymous = ticket?.state.anonymous === true || d.anonymous === true;
  const location = d.location as { lat: number; lon: number; accuracy: number | null } | undefined;
  const text = d.description ?? d.note ?? d.text ?? null;
  const other: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d)) {
    if (FLATTENED.has(key)) continue;
    if (key === 'author') other[key] = authorOf(value, people);
    else if (isStaffField(key, value)) other[key] = people.staff(value);
    else other[key] = NAME_FIELDS.has(key) && !(people.staffNames && key === 'username') ? '[withheld]' : value;
  }
  const values: unknown[] = [
    leafIndex, e.id, streamShown(e.stream, d.citizenId, people), streamTypeOf(e.stream), e.revision, e.type, e.recordedAt, e.metadata?.communeId ?? d.communeId ?? null,
    e.metadata?.actor?.role ?? null, people.actor(e.metadata?.actor),
    d.ticketId ?? null, d.category ?? null, d.subcategory ?? null, d.priority ?? null, d.quartierId ?? null, d.teamId ?? null,
    people.staff(d.agentId), d.previousTeamId ?? null, people.staff(d.previousAgentId),
    location ? (confidential ? coarse(location.lat) : location.lat) : null,
    location ? (confidential ? coarse(location.lon) : location.lon) : null,
    location && !confidential ? location.accuracy : null,
    d.channel ?? null, d.anonymous ?? null, d.confidential ?? null,
    anonymous ? null : people.citizen(d.reporterId), people.citizen(d.citizenId),
    d.contactSubjectId ?? null, contacts.of(d.contactSubjectId),
    d.visibility ?? null, d.reason ?? null, d.duplicateOf ?? null,
    text === null ? null : confidential ? WITHHELD : text,
    Object.keys(other).length > 0 ? other : null,
  ];
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** One GeoJSON Feature per ticket, with its state at the end of the export. */
export function ticketFeature(id: string, t: TrackedTicket, people: People, contacts: ContactStatuses): Record<string, unknown> | null {
  const s = t.state;
  if (t.unreadable || s.status === 'none') return null;
  const confidential = s.confidential;
  const point = s.location ? [confidential ? coarse(s.location.lon) : s.location.lon, confidential ? coarse(s.location.lat) : s.location.lat] : null;
  return {
    type: 'Feature',
    id,
    geometry: point ? { type: 'Point', coordinates: point } : null,
    properties: {
      ticketId: id,
      communeId: s.communeId,
      quartierId: s.quartierId,
      category: s.category,
      subcategory: s.subcategory,
      status: s.status,
      priority: s.priority,
      teamId: s.teamId,
      agent: people.staff(s.agentId),
      plusCode: s.location && !confidential ? encodePlusCode(s.location.lat, s.location.lon) : null,
      landmark: confidential ? null : s.landmark,
      description: confidential ? WITHHELD : s.description,
      channel: s.channel,
      anonymous: s.anonymous,
      confidential,
      reporter: s.anonymous || confidential ? null : people.citizen(s.reporterId),
      contactSubjectId: s.contactSubjectId,
      contactStatus: contacts.of(s.contactSubjectId),
      confirmations: s.confirmations.length,
      reportedAt: s.reportedAt,
      acknowledgedAt: s.acknowledgedAt,
      resolvedAt: s.resolvedAt,
      closedAt: s.closedAt,
      rejectionReason: s.rejection?.reason ?? null,
      duplicateOf: s.duplicateOf,
      disputes: s.disputeCount,
      revision: t.revision,
      lastLeafIndex: t.lastLeafIndex,
    },
  };
}
