import { useEffect, useState } from 'react';
import type { Outbox } from '../outbox/outbox.ts';
import type { OutboxEntry } from '../outbox/types.ts';

/** The outbox entries, re-read whenever the outbox changes. */
export function useOutboxEntries(outbox: Outbox): { entries: OutboxEntry[]; sendingKey: string | null } {
  const [state, setState] = useState<{ entries: OutboxEntry[]; sendingKey: string | null }>({ entries: [], sendingKey: null });
  useEffect(() => {
    let alive = true;
    const read = () =>
      void outbox.entries().then((entries) => {
        if (alive) setState({ entries, sendingKey: outbox.sendingKey });
      });
    read();
    const unsubscribe = outbox.subscribe(read);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [outbox]);
  return state;
}
