import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { CategoryRef, CommuneRef } from '../api/types.ts';
import { categoriesKey, communesKey, readCached, writeCached } from './cache.ts';

export interface Reference {
  categories: CategoryRef[] | null;
  communes: CommuneRef[] | null;
  failed: boolean;
}

/**
 * Categories and commune boundaries: the cached copy right away, then the API's when it answers.
 * They change a few times a year, so a stale copy is far better than a blank screen on 2G.
 */
export class ReferenceData {
  private current: Reference = {
    categories: readCached<CategoryRef[]>(categoriesKey),
    communes: readCached<CommuneRef[]>(communesKey),
    failed: false,
  };
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;
  private readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  get value(): Reference {
    return this.current;
  }

  refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const [categories, communes] = await Promise.all([this.api.categories(), this.api.communes()]);
        writeCached(categoriesKey, categories);
        writeCached(communesKey, communes);
        this.current = { categories, communes, failed: false };
      } catch {
        this.current = { ...this.current, failed: true };
      } finally {
        this.loading = null;
        for (const listener of this.listeners) listener();
      }
    })();
    return this.loading;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function useReference(reference: ReferenceData): Reference {
  const [value, setValue] = useState(reference.value);
  useEffect(() => {
    const unsubscribe = reference.subscribe(() => setValue(reference.value));
    // A refresh that finished between the first render and this effect has told nobody.
    setValue(reference.value);
    return unsubscribe;
  }, [reference]);
  return value;
}
