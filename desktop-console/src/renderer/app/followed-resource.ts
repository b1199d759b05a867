import { useCallback, useEffect, useRef, useState } from 'react';
import { isProblem } from '../api/problem.js';
import { readAtLeast } from '../api/projected.js';
import type { FollowedPushes } from '../live/live-updates.js';
import { useI18n } from '../i18n/i18n.js';
import { useRevisionedWrites } from './conflict.js';
import { useServices } from './services.js';

interface Versioned {
  readonly id: string;
  readonly revision: number;
}

export interface FollowedResourceOptions<T> {
  /**
   * What a push of someone else's change does: `adopt` shows it at once (a project's progress as
   * agents report it); `announce` keeps what the user decides on and says that it changed
   * (a proposal's answer is given on the version read).
   */
  readonly others: 'adopt' | 'announce';
  /** A push may carry less than a read (a proposal's flags are for staff reads only): merged over what is shown. */
  readonly merge?: (shown: T, pushed: T) => T;
}

/**
 * One resource in a panel, for any kind followed live (proposals, projects): read (waiting for a new
 * one's projection), followed, its writes decided on the revision shown with someone else's change
 * meanwhile shown as a conflict, and each write's result read once projected.
 */
export function useFollowedResource<T extends Versioned>(kind: 'proposal' | 'project', id: string, get: () => Promise<T>, { others, merge = (_shown, pushed) => pushed }: FollowedResourceOptions<T>) {
  const { live } = useServices();
  const { problem } = useI18n();
  const [shown, setShown] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [newer, setNewer] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  /** The room is joined and what changed before is read: from now on every change is pushed. */
  const [following, setFollowing] = useState(false);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  /** The revision the user's own last write made: its push is no news from someone else. */
  const acted = useRef(-1);
  const latest = useRef({ get, merge });
  latest.current = { get, merge };

  /** The resource at `atLeast` or later; a new one is a moment away from its read model (404 until then). */
  const fetchState = useCallback(async (atLeast = 0): Promise<T> => {
    let missing: unknown = null;
    const found = await readAtLeast(
      async () => {
        try {
          return await latest.current.get();
        } catch (e) {
          if (!isProblem(e) || e.status !== 404) throw e;
          missing = e;
          return null;
        }
      },
      (value) => value?.revision ?? -1,
      atLeast,
    );
    if (found === null) throw missing;
    return found;
  }, []);
  const { conflict, attempt, dismiss } = useRevisionedWrites(fetchState);

  const adopt = useCallback((state: T) => {
    // Reads and pushes may cross: an older revision arriving last never replaces a newer one.
    const current = shownRef.current;
    if (current && current.revision > state.revision) return;
    shownRef.current = state;
    setShown(state);
    setNewer(null);
  }, []);

  const reload = useCallback(() => fetchState().then(adopt, (e: unknown) => setError(e)), [fetchState, adopt]);

  useEffect(() => {
    setShown(null);
    shownRef.current = null;
    setError(null);
    setNewer(null);
    setNotice(null);
    setFollowing(false);
    dismiss();
    let cancelled = false;
    fetchState().then(
      (state) => !cancelled && adopt(state),
      (e: unknown) => !cancelled && setError(e),
    );
    const stop = live.follow(
      kind,
      id,
      (push: FollowedPushes[typeof kind]) => {
        const current = shownRef.current;
        if (cancelled || !current) return;
        const pushed = latest.current.merge(current, push as unknown as T);
        // The same revision with new counts (a proposal's supports live in streams of their own), or the user's own write.
        if (pushed.revision <= Math.max(current.revision, acted.current) || others === 'adopt') adopt(pushed);
        else setNewer(pushed);
      },
      // Joined (again, after a reconnection): anything changed before the join is read now, and taken as a push would be.
      () =>
        void fetchState().then(
          (state) => {
            if (cancelled) return;
            const current = shownRef.current;
            if (others === 'announce' && current && state.revision > Math.max(current.revision, acted.current)) setNewer(state);
            else adopt(state);
            setFollowing(true);
          },
          () => undefined,
        ),
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [kind, id, live, others, fetchState, adopt, dismiss]);

  /** Runs a write decided on the revision shown; the write answers the revision it made, read once projected. */
  const write = useCallback(
    async (action: (decided: T) => Promise<number>): Promise<'done' | 'conflict'> => {
      const decided = shownRef.current;
      if (!decided) throw new Error(`${kind} ${id} is not loaded`);
      setBusy(true);
      setNotice(null);
      try {
        return await attempt(decided, async (state) => {
          const revision = await action(state);
          acted.current = Math.max(acted.current, revision);
          adopt(await fetchState(revision));
        });
      } finally {
        setBusy(false);
      }
    },
    [kind, id, attempt, adopt, fetchState],
  );

  /** The write refused by someone else's change, sent again on the fresh state. */
  const again = useCallback(async () => {
    if (!conflict) return;
    adopt(conflict.fresh);
    setBusy(true);
    try {
      await attempt(conflict.fresh, conflict.again);
    } catch (e) {
      setNotice(problem(e));
    } finally {
      setBusy(false);
    }
  }, [conflict, attempt, adopt, problem]);

  /** The user drops their write and goes on from the fresh state. */
  const drop = useCallback(() => {
    if (conflict) adopt(conflict.fresh);
    dismiss();
  }, [conflict, adopt, dismiss]);

  const showLatest = useCallback(() => void reload(), [reload]);

  return { shown, error, newer, showLatest, busy, notice, setNotice, following, write, conflict, again, drop, reload };
}
