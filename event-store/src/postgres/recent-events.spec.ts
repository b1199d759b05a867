import { describe, expect, it } from 'vitest';
import type { GlobalPosition, RecordedEvent } from '../port.js';
import { RecentEvents } from './recent-events.js';

const at = (n: number): GlobalPosition => ({ commit: BigInt(100 + Math.floor(n / 3)), prepare: BigInt(n) });
const event = (n: number): RecordedEvent => ({ streamId: `s-${n}`, revision: 0, position: at(n), type: 'T', data: { n }, metadata: {} as RecordedEvent['metadata'] });
const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => event(from + i));
const ns = (events: RecordedEvent[] | null) => events?.map((e) => (e.data as { n: number }).n) ?? null;

describe('RecentEvents', () => {
  it('answers a reader that follows an earlier read, and only within what was read', () => {
    const recent = new RecentEvents();
    expect(recent.after(null, 10)).toBeNull();
    recent.remember(null, run(1, 5));
    expect(ns(recent.after(null, 3))).toEqual([1, 2, 3]);
    expect(ns(recent.after(at(3), 10))).toEqual([4, 5]);
    expect(recent.after(at(5), 10)).toBeNull(); // the log may hold more than what was read
    expect(recent.after(at(42), 10)).toBeNull(); // a position never read
  });

  it('extends a contiguous run, restarts on a jump, and forgets the oldest beyond its capacity', () => {
    const recent = new RecentEvents(6);
    recent.remember(null, run(1, 4));
    recent.remember(at(4), run(5, 8));
    expect(ns(recent.after(at(2), 10))).toEqual([3, 4, 5, 6, 7, 8]);
    expect(recent.after(at(1), 10)).toBeNull(); // 1 and 2 were forgotten: position 1 is no longer known
    expect(recent.after(null, 10)).toBeNull();
    recent.remember(at(20), run(21, 22)); // not contiguous: a new run
    expect(recent.after(at(5), 10)).toBeNull();
    expect(ns(recent.after(at(20), 10))).toEqual([21, 22]);
  });

  it('hands the same event objects to every reader', () => {
    const recent = new RecentEvents();
    const events = run(1, 3);
    recent.remember(null, events);
    expect(recent.after(null, 3)![1]).toBe(events[1]);
  });
});
