import { useEffect, useMemo, useState } from 'react';
import type { AppOutbox, AppOutboxEntry, AppRequest } from '../outbox/api-transport.ts';

/** The outbox entries (of one kind of request, when given), re-read whenever the outbox changes. */
export function useOutboxEntries(outbox: AppOutbox, kind?: AppRequest['kind']): { entries: AppOutboxEntry[]; sendingKey: string | null } {
  const [state, setState] = useState<{ entries: AppOutboxEntry[]; sendingKey: string | null }>({ entries: [], sendingKey: null });
  useEffect(() => outbox.watch(setState), [outbox]);
  const entries = useMemo(() => (kind ? state.entries.filter((entry) => entry.request.kind === kind) : state.entries), [state.entries, kind]);
  return { entries, sendingKey: state.sendingKey };
}
