import type { Params } from '../i18n/format.ts';
import type { MessageKey } from '../i18n/messages.ts';

export interface Notice {
  id: number;
  key: MessageKey;
  params?: Params;
  tone: 'info' | 'success' | 'warning';
  /** Where tapping the notice leads, if anywhere. */
  link?: string;
}

/** In-app messages (report sent, status changed), translated when shown so a language switch applies. */
export class Notices {
  private next = 1;
  private queue: Notice[] = [];
  private readonly listeners = new Set<() => void>();

  get current(): Notice | null {
    return this.queue[0] ?? null;
  }

  push(notice: Omit<Notice, 'id'>): void {
    this.queue = [...this.queue, { ...notice, id: this.next++ }];
    this.emit();
  }

  dismiss(id: number): void {
    this.queue = this.queue.filter((n) => n.id !== id);
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
