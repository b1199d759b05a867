import { useSyncExternalStore } from 'react';
import type { CompressedPhoto } from '../photo/compress.ts';

/** Where the proposal is: a point placed on the map, or a quartier chosen from the commune's list. */
export type ProposalPlace = { kind: 'point'; lat: number; lon: number } | { kind: 'quartier'; quartierId: string };

export interface ProposalDraft {
  category: string | null;
  photos: (CompressedPhoto & { url: string })[];
  place: ProposalPlace | null;
  title: string;
  description: string;
  /** As typed: digits, spaces allowed ("2 500 000"). */
  cost: string;
}

export const maxPhotos = 3;

const empty: ProposalDraft = { category: null, photos: [], place: null, title: '', description: '', cost: '' };

/**
 * The proposal being written, shared by the four screens. It lives with these screens' code (not
 * in the app's first download) and survives moving back and forth between them.
 */
class DraftStore {
  private draft: ProposalDraft = empty;
  private readonly listeners = new Set<() => void>();

  read = (): ProposalDraft => this.draft;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update = (change: Partial<ProposalDraft>): void => {
    // The preview URLs of photos taken away would otherwise leak until the page closes.
    if (change.photos) for (const gone of this.draft.photos.filter((p) => !change.photos!.includes(p))) URL.revokeObjectURL(gone.url);
    this.draft = { ...this.draft, ...change };
    for (const listener of this.listeners) listener();
  };

  reset = (): void => this.update({ ...empty, photos: [] });
}

const store = new DraftStore();

/** The draft as it is now (after an await, where a render's copy may be stale). */
export const currentProposalDraft = (): ProposalDraft => store.read();

export function useProposalDraft(): { draft: ProposalDraft; update: (change: Partial<ProposalDraft>) => void; reset: () => void } {
  const draft = useSyncExternalStore(store.subscribe, store.read);
  return { draft, update: store.update, reset: store.reset };
}
