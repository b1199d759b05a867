import { useEffect, useState } from 'react';
import { useServices } from '../app/services.js';
import type { ConsoleOutboxEntry } from './console-outbox.js';

/** The console outbox's entries and the one on its way, re-read at each change. */
export function useOutboxEntries(): { entries: ConsoleOutboxEntry[]; sendingKey: string | null } {
  const { outbox } = useServices();
  const [state, setState] = useState<{ entries: ConsoleOutboxEntry[]; sendingKey: string | null }>({ entries: [], sendingKey: null });
  useEffect(() => outbox.watch(setState), [outbox]);
  return state;
}

/** Whether the browser believes it has a network, kept current. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => (window.removeEventListener('online', update), window.removeEventListener('offline', update));
  }, []);
  return online;
}
