import { describe, expect, it } from 'vitest';
import { emptyFilter } from '../api/tickets.js';
import { deleteSavedFilter, loadSavedFilters, parseFilter, saveFilter } from './saved-filters.js';

/** The Web Storage interface over a Map: what localStorage does, in Node. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

describe('saved filters', () => {
  it('are kept per commune, newest first, replaced by name', () => {
    const storage = new MemoryStorage();
    saveFilter(storage, 'soa', { name: 'Urgences voirie', filter: { ...emptyFilter, category: 'voirie', breachedOnly: true } });
    saveFilter(storage, 'soa', { name: 'Nouveaux', filter: { ...emptyFilter, statuses: ['new'] } });
    saveFilter(storage, 'soa', { name: 'Urgences voirie', filter: { ...emptyFilter, category: 'voirie' } });
    expect(loadSavedFilters(storage, 'soa').map((s) => s.name)).toEqual(['Urgences voirie', 'Nouveaux']);
    expect(loadSavedFilters(storage, 'soa')[0]?.filter.breachedOnly).toBe(false);
    expect(loadSavedFilters(storage, 'dschang')).toEqual([]);
    expect(deleteSavedFilter(storage, 'soa', 'Nouveaux').map((s) => s.name)).toEqual(['Urgences voirie']);
  });

  it('survive corrupt or outdated storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('palabre.savedFilters.soa', '{not json');
    expect(loadSavedFilters(storage, 'soa')).toEqual([]);
    storage.setItem('palabre.savedFilters.soa', JSON.stringify([{ name: 'Vieux', filter: { statuses: ['new', 'archived', 3], category: 7, breachedOnly: 'yes' } }, { filter: {} }]));
    expect(loadSavedFilters(storage, 'soa')).toEqual([{ name: 'Vieux', filter: { ...emptyFilter, statuses: ['new'] } }]);
    expect(parseFilter(null)).toEqual(emptyFilter);
  });
});
