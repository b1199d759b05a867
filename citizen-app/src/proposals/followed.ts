import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/errors.ts';
import { useServices } from '../app/context.tsx';
import type { ParticipationKind } from '../live/live.ts';
import { readWhenRecorded } from './api.ts';

/**
 * Reads a proposal or project, then follows its room: each pushed view is adopted as it comes, and a
 * (re)join reads again. `adopt` learns whether a read was asked before the latest push (null for a push):
 * such a read may be older than what the push brought. `get` and `adopt` must be stable (useCallback).
 */
export function useFollowed<V extends { id: string }>(kind: ParticipationKind, id: string, get: () => Promise<V>, adopt: (fresh: V, readBeforeLatestPush: boolean | null) => void) {
  const { live } = useServices();
  const [missing, setMissing] = useState(false);
  const pushes = useRef(0);

  const read = useCallback(async () => {
    const askedAt = pushes.current;
    try {
      const fresh = await readWhenRecorded(get);
      adopt(fresh, askedAt !== pushes.current);
      setMissing(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setMissing(true);
    }
  }, [get, adopt]);

  useEffect(() => {
    void read();
    // Once the server has joined this phone to the room, a read misses nothing pushed after.
    return live.followParticipation<V>(
      kind,
      id,
      (pushed) => {
        pushes.current++;
        adopt(pushed, null);
      },
      (following) => {
        if (following) void read();
      },
    );
  }, [live, kind, id, read, adopt]);

  return { missing, read };
}
