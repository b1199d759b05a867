import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketHistory, TicketUpdate, TimelineUpdate } from '../api/types.js';
import { followHistory, historyRetryMs } from './history.js';
import type { LiveListeners } from './live-updates.js';

/** The server's side, as the helper hears it: news of tickets, and the history a reload reads. */
function server(revision: number | null = 1) {
  const listeners = new Set<LiveListeners>();
  const state = { revision, reloads: 0 };
  return {
    state,
    live: { listen: (l: LiveListeners) => (listeners.add(l), () => listeners.delete(l)) },
    reload: async (): Promise<TicketHistory> => (state.reloads++, { items: [], revision: state.revision }),
    ticket: (id: string) => listeners.forEach((l) => l.ticket?.({ ticket: { id }, revision: 2, position: '1/1' } as unknown as TicketUpdate)),
    timeline: (ticketId: string) => listeners.forEach((l) => l.timeline?.({ ticketId, revision: 2 } as TimelineUpdate)),
    listening: () => listeners.size,
  };
}

describe('a history that trails the ticket shown', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reloads on news of its ticket, not of others, and stops once it has caught up', async () => {
    const s = server();
    const seen: (number | null)[] = [];
    followHistory(s.live, 'T-1', 2, s.reload, (h) => seen.push(h.revision));
    await vi.advanceTimersByTimeAsync(historyRetryMs[1]); // the first reloads, still behind
    const before = s.state.reloads;
    s.ticket('T-other');
    s.timeline('T-other');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.reloads).toBe(before);
    s.state.revision = 2;
    s.timeline('T-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.at(-1)).toBe(2);
    expect(s.listening()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.state.reloads).toBe(before + 1);
  });

  it('retries a bounded number of times, then waits for news alone', async () => {
    const s = server(null);
    const stop = followHistory(s.live, 'T-1', 2, s.reload, () => undefined);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.state.reloads).toBe(historyRetryMs.length);
    s.ticket('T-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.reloads).toBe(historyRetryMs.length + 1);
    stop();
    expect(s.listening()).toBe(0);
  });
});
