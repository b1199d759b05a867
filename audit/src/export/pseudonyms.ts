import { createHmac, randomBytes } from 'node:crypto';
import type { EventStore } from '@palabre/event-store';

/**
 * How people appear in the readable files (CSV, GeoJSON). Pseudonyms are keyed by a salt drawn
 * per export and never written anywhere, so they are stable inside one bundle and unlinkable across
 * bundles. Staff usernames appear only when the requester's role allows them; citizens never.
 */
export class People {
  private readonly salt = randomBytes(32);
  private readonly cache = new Map<string, string>();
  private readonly usernames = new Map<string, string | null>();

  constructor(
    readonly staffNames: boolean,
    private readonly store: EventStore,
  ) {}

  citizen(id: string | null | undefined): string | null {
    return id ? this.pseudonym('citizen', id) : null;
  }

  staff(id: string | null | undefined): string | null {
    if (!id) return null;
    if (this.staffNames) return this.usernames.get(id) ?? this.pseudonym('staff', id);
    return this.pseudonym('staff', id);
  }

  actor(actor: { id: string; role: string } | null | undefined): string | null {
    if (!actor) return null;
    if (actor.role === 'system') return actor.id;
    return actor.role === 'citizen' ? this.citizen(actor.id) : this.staff(actor.id);
  }

  /** Looks up usernames of staff ids not seen yet (from their staff streams), when names are allowed. */
  async learnStaff(ids: Iterable<string>): Promise<void> {
    if (!this.staffNames) return;
    for (const id of ids) {
      if (this.usernames.has(id)) continue;
      const events = await this.store.readStream(`staff-${id}`, { maxCount: 1 });
      const data = events[0]?.data as { username?: unknown } | undefined;
      this.usernames.set(id, typeof data?.username === 'string' ? data.username : null);
    }
  }

  private pseudonym(kind: 'staff' | 'citizen', id: string): string {
    const key = `${kind}:${id}`;
    let value = this.cache.get(key);
    if (value === undefined) {
      value = `${kind}-${createHmac('sha256', this.salt).update(key).digest('hex').slice(0, 12)}`;
      this.cache.set(key, value);
    }
    return value;
  }
}
