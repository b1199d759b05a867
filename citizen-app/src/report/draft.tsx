import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Contact } from '../api/types.ts';
import type { CompressedPhoto } from '../photo/compress.ts';

export interface Position {
  lat: number;
  lon: number;
  /** Metres, from the GPS; null once the person placed the pin by hand. */
  accuracy: number | null;
}

export interface Draft {
  category: string | null;
  subcategory: string | null;
  photo: (CompressedPhoto & { url: string }) | null;
  position: Position | null;
  positionSource: 'gps' | 'pin' | null;
  landmark: string;
  description: string;
  anonymous: boolean;
  confidential: boolean;
  contact: Contact;
}

const empty: Draft = {
  category: null,
  subcategory: null,
  photo: null,
  position: null,
  positionSource: null,
  landmark: '',
  description: '',
  anonymous: false,
  confidential: false,
  contact: {},
};

interface DraftContextValue {
  draft: Draft;
  update(change: Partial<Draft>): void;
  reset(): void;
}

const DraftContext = createContext<DraftContextValue | null>(null);

/** The report being written, shared by the four screens of the flow. */
export function DraftProvider({ children }: { children: ReactNode }) {
  const [draft, setDraft] = useState<Draft>(empty);
  const update = useCallback((change: Partial<Draft>) => {
    setDraft((current) => {
      // The preview URL of a replaced photo would otherwise leak until the page closes.
      if ('photo' in change && current.photo && current.photo !== change.photo) URL.revokeObjectURL(current.photo.url);
      return { ...current, ...change };
    });
  }, []);
  const reset = useCallback(() => {
    setDraft((current) => {
      if (current.photo) URL.revokeObjectURL(current.photo.url);
      return empty;
    });
  }, []);
  const value = useMemo(() => ({ draft, update, reset }), [draft, update, reset]);
  return <DraftContext.Provider value={value}>{children}</DraftContext.Provider>;
}

export function useDraft(): DraftContextValue {
  const context = useContext(DraftContext);
  if (!context) throw new Error('useDraft needs a DraftProvider above it');
  return context;
}
