/** Small JSON values kept in localStorage so the app still knows categories and communes offline. */
export function readCached<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function writeCached(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full: the app still works online, it only loses its offline copy.
  }
}

/** The cached reference data: read by the app, and by the first screen before the app has loaded. */
export const categoriesKey = 'palabre.reference.categories';
export const communesKey = 'palabre.reference.communes';
