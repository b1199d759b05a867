import type { TicketStatus } from '../api/types.ts';

/**
 * Status colours: each reaches at least 4.5:1 against the white text of the status chips. Apart from
 * the map's style, so the chips (in the app's first bundle) do not pull the style out of the map's chunk.
 */
export const statusColours: Record<TicketStatus, string> = {
  new: '#b3261e',
  reopened: '#b3261e',
  triaged: '#8a5300',
  assigned: '#8a5300',
  in_progress: '#1f5fa8',
  resolved: '#0b6e4f',
  closed: '#4d4d4d',
  rejected: '#4d4d4d',
  duplicate: '#4d4d4d',
};
