import type { TicketHistory } from '../api/types.ts';
import type { LiveUpdates } from './live.ts';

/** Reloads on a timer after these pauses at most (31 s in all): later, `timeline.updated` says when. */
export const historyRetryMs = [0, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;

/**
 * A ticket's history has its own projector and may trail the ticket shown. Until it reaches
 * `revision`, reload it whenever the server speaks of the ticket (`ticket.updated`,
 * `timeline.updated`), and on a timer for news that came while a reload was on its way or while
 * offline. Returns the function that stops following.
 */
export function followHistory(live: Pick<LiveUpdates, 'onTicketNews'>, ticketId: string, revision: number, reload: () => Promise<TicketHistory>, onHistory: (history: TicketHistory) => void): () => void {
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = () =>
    reload().then(
      (history) => {
        if (stopped) return;
        onHistory(history);
        if ((history.revision ?? -1) >= revision) stop();
      },
      () => undefined, // offline or refused: the next news or retry tries again
    );
  const retry = () => {
    if (!stopped && attempt < historyRetryMs.length) timer = setTimeout(() => void load().then(retry), historyRetryMs[attempt++]);
  };
  const unlisten = live.onTicketNews((id) => {
    if (id === ticketId) void load();
  });
  function stop() {
    stopped = true;
    clearTimeout(timer);
    unlisten();
  }
  retry();
  return stop;
}
