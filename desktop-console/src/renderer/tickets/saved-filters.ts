import { ticketStatuses } from '@palabre/domain';
import { type TicketFilter, emptyFilter } from '../api/tickets.js';
import type { OpenStatus } from '../api/types.js';

export interface SavedFilter {
  readonly name: string;
  readonly filter: TicketFilter;
}

const key = (communeId: string) => `palabre.savedFilters.${communeId}`;
const maxSaved = 30;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);

/** Reads a stored filter leniently: an old or hand-edited entry loses bad fields, never breaks the console. */
export function parseFilter(raw: unknown): TicketFilter {
  if (typeof raw !== 'object' || raw === null) return emptyFilter;
  const r = raw as Record<string, unknown>;
  const statuses = Array.isArray(r.statuses)
    ? r.statuses.filter((s): s is OpenStatus => typeof s === 'string' && s !== 'none' && (ticketStatuses as readonly string[]).includes(s))
    : [];
  return {
    statuses,
    category: str(r.category),
    quartierId: str(r.quartierId),
    teamId: str(r.teamId),
    agentId: str(r.agentId),
    breachedOnly: r.breachedOnly === true,
    text: typeof r.text === 'string' ? r.text.slice(0, 200) : '',
  };
}

export function loadSavedFilters(storage: Storage, communeId: string): SavedFilter[] {
  try {
    const raw: unknown = JSON.parse(storage.getItem(key(communeId)) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((entry: unknown) => {
      const e = entry as Record<string, unknown> | null;
      const name = str(e?.name);
      return name ? [{ name, filter: parseFilter(e?.filter) }] : [];
    });
  } catch {
    return [];
  }
}

/** Saving under an existing name replaces it; the newest comes first. */
export function saveFilter(storage: Storage, communeId: string, saved: SavedFilter): SavedFilter[] {
  const next = [saved, ...loadSavedFilters(storage, communeId).filter((s) => s.name !== saved.name)].slice(0, maxSaved);
  storage.setItem(key(communeId), JSON.stringify(next));
  return next;
}

export function deleteSavedFilter(storage: Storage, communeId: string, name: string): SavedFilter[] {
  const next = loadSavedFilters(storage, communeId).filter((s) => s.name !== name);
  storage.setItem(key(communeId), JSON.stringify(next));
  return next;
}
