import type { Postmaster } from './postmaster.js';

/** How long a postmaster that keeps dying, or cannot start again, is tried before the caller is told it is lost. */
export const RESTART_LIMIT_MS = 60_000;
/** First pause between two tries; it doubles up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 8_000;

/** What the keeper tells of the embedded server's life after its start. */
export interface KeeperEvents {
  /** It stopped without being asked to (killed, crashed); it is being started again in place. */
  readonly onDown?: (reason: string) => void;
  /** It is back, on the same data dir and port, `afterMs` after it went down. */
  readonly onBack?: (pid: number, afterMs: number) => void;
  /** It could not be started again within RESTART_LIMIT_MS: nothing serves the data any more. */
  readonly onLost?: (reason: string) => void;
}

/** Starts a postmaster whose unexpected exit calls `died`; `deadline` bounds its own waits (e.g. for old backends). */
export type StartPostmaster = (died: (reason: string) => void, deadline: number) => Promise<Postmaster>;

/**
 * Keeps the embedded server running under the API: a postmaster that dies without being asked to
 * (kill -9, the OOM killer, a crash) is started again on the same data dir and port, where crash
 * recovery replays its WAL, so the API and its connection pools carry on. Tries back off, and a
 * server that cannot come back, or keeps dying, within RESTART_LIMIT_MS is given up: the caller
 * then stops, and its service manager takes over.
 */
export async function keepPostmaster(start: StartPostmaster, events: KeeperEvents, limitMs = RESTART_LIMIT_MS): Promise<Postmaster> {
  let current: Postmaster | null = null;
  let stopping = false;
  let restarting: Promise<void> = Promise.resolve();
  /** When the present run of trouble began: a server that dies again soon after coming back does not get a fresh minute. */
  let troubleSince: number | null = null;
  let backAt = 0;

  const died = (reason: string): void => {
    if (stopping) return;
    current = null;
    const now = Date.now();
    if (troubleSince === null || now - backAt > limitMs) troubleSince = now;
    events.onDown?.(reason);
    restarting = restart(reason, troubleSince + limitMs, now);
  };

  const restart = async (reason: string, deadline: number, downAt: number): Promise<void> => {
    let pause = FIRST_PAUSE_MS;
    for (;;) {
      if (stopping) return;
      if (Date.now() > deadline) return events.onLost?.(`${reason}, again within ${limitMs / 1000} s of coming back`);
      try {
        const postmaster = await start(died, deadline);
        if (stopping) return await postmaster.stop();
        current = postmaster;
        backAt = Date.now();
        events.onBack?.(postmaster.pid, backAt - downAt);
        return;
      } catch (error) {
        if (Date.now() + pause > deadline) {
          events.onLost?.(`${reason}; it could not be started again: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
    }
  };

  current = await start(died, Date.now() + limitMs);
  const first = current.pid;
  return {
    get pid() {
      return current?.pid ?? first;
    },
    async stop() {
      stopping = true;
      await restarting;
      await current?.stop();
    },
  };
}
