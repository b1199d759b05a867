import { useEffect, useState } from 'react';
import type { AppOutbox, AppOutboxEntry } from '../outbox/api-transport.ts';

/** The outbox entries, re-read whenever the outbox changes. */
export function useOutboxEntries(outbox: AppOutbox): { entries: AppOutboxEntry[]; sendingKey: string | null } {
  const [state, setState] = useState<{ entries: AppOutboxEntry[]; sendingKey: string | null }>({ entries: [], sendingKey: null });
  useEffect(() => outbox.watch(setState), [outbox]);
  return state;
}
