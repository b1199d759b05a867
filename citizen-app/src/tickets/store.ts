import type { TicketStatus, TicketView } from '../api/types.ts';

export interface StatusChange {
  ticket: TicketView;
  previous: TicketStatus;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

const mineKey = 'palabre.tickets.mine';

/**
 * What the phone knows about tickets: the person's own (kept for offline reading) and the nearby
 * ones last fetched. Revisions decide which copy is newer, so a late HTTP answer never overwrites
 * a fresher live update.
 */
export class TicketStore {
  private readonly mine = new Map<string, TicketView>();
  private nearby: TicketView[] = [];
  private readonly others = new Map<string, TicketView>();
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<(change: StatusChange) => void>();
  private readonly storage: KeyValueStorage;
  /** Bumped on every change; React reads it to know when to re-render. */
  version = 0;

  constructor(storage: KeyValueStorage) {
    this.storage = storage;
    try {
      for (const ticket of JSON.parse(storage.getItem(mineKey) ?? '[]') as TicketView[]) this.mine.set(ticket.id, ticket);
    } catch {
      // A damaged copy is only a cache: the API has the truth.
    }
  }

  mineList(): TicketView[] {
    return [...this.mine.values()].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt));
  }

  nearbyList(): TicketView[] {
    return this.nearby.map((t) => this.get(t.id) ?? t);
  }

  get(id: string): TicketView | undefined {
    return this.mine.get(id) ?? this.others.get(id);
  }

  isMine(id: string): boolean {
    return this.mine.has(id);
  }

  /** Replaces the own list with the API's (it is complete), reporting status changes since last seen. */
  setMine(tickets: readonly TicketView[]): void {
    const changes: StatusChange[] = [];
    const previous = new Map(this.mine);
    this.mine.clear();
    for (const ticket of tickets) {
      const known = previous.get(ticket.id);
      const kept = known && known.revision > ticket.revision ? known : ticket;
      this.mine.set(ticket.id, { ...kept, mine: true });
      if (known && known.status !== kept.status) changes.push({ ticket: kept, previous: known.status });
    }
    this.changed(changes);
  }

  setNearby(tickets: readonly TicketView[]): void {
    this.nearby = [...tickets];
    for (const ticket of tickets) this.merge(ticket, false);
    this.changed([]);
  }

  /** One ticket from a GET or a live update. `mine` marks a report this phone just sent. */
  upsert(ticket: TicketView, options: { mine?: boolean } = {}): void {
    const change = this.merge(ticket, options.mine ?? false);
    this.changed(change ? [change] : []);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Status changes of the person's own reports, for notifications. */
  onStatusChange(listener: (change: StatusChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private merge(ticket: TicketView, markMine: boolean): StatusChange | null {
    const mine = markMine || ticket.mine === true || this.mine.has(ticket.id);
    const known = this.get(ticket.id);
    if (known && known.revision > ticket.revision) return null;
    // Broadcast public views do not say who confirmed; a "me too" once given stays given.
    if (known?.confirmedByMe && !ticket.confirmedByMe) ticket = { ...ticket, confirmedByMe: true };
    if (mine) {
      this.mine.set(ticket.id, { ...ticket, mine: true });
      this.others.delete(ticket.id);
      return known && known.status !== ticket.status ? { ticket, previous: known.status } : null;
    }
    this.others.set(ticket.id, ticket);
    return null;
  }

  private changed(changes: readonly StatusChange[]): void {
    this.version++;
    try {
      this.storage.setItem(mineKey, JSON.stringify(this.mineList()));
    } catch {
      // Storage full: the list is fetched again next time.
    }
    for (const listener of this.listeners) listener();
    for (const change of changes) for (const listener of this.changeListeners) listener(change);
  }
}
