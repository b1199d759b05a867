import { randomUUID } from 'node:crypto';
import { envelopesFor, type EventStore } from '@palabre/event-store';

/** A look at confidential data, itself an event of the log: who, what, why. */
export const ACCESS_EVENT_TYPE = 'ConfidentialDataViewed';

export const accessResourceKinds = ['ticket', 'contact', 'export'] as const;
export type AccessResourceKind = (typeof accessResourceKinds)[number];

export interface AccessRecord {
  /** Who looked, as the edge authenticated them. */
  readonly viewer: { readonly id: string; readonly role: string };
  /** The commune whose data it is (null: national data). */
  readonly communeId: string | null;
  /** What: a confidential ticket, a vault subject's contact details, an export job. */
  readonly resource: { readonly kind: AccessResourceKind; readonly id: string };
  /** Why: the purpose given by the viewer, or the action that needed the data (`ticket.view`). */
  readonly purpose: string;
  /** From where: the viewer's network address as the edge saw it (through a trusted proxy, the real one). */
  readonly address?: string;
  readonly correlationId?: string;
  /** The W3C trace context of the request that looked (as every command's events carry it). */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface AccessTrailEntry {
  readonly revision: number;
  readonly viewer: { readonly id: string; readonly role: string };
  readonly resource: { readonly kind: string; readonly id: string };
  readonly purpose: string;
  readonly address: string | null;
  readonly viewedAt: string;
  readonly eventId: string;
}

/** One stream per commune (`access-soa`, `access-national`), in the global log like every other event. */
export const accessStreamId = (communeId: string | null): string => `access-${communeId ?? 'national'}`;

/**
 * Appends and reads the access trail. Appending is part of serving the data: if the trail cannot
 * be written the caller must not show the data (call `record` before returning it).
 */
export class AccessTrail {
  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(access: AccessRecord): Promise<void> {
    if (!access.purpose.trim()) throw new RangeError('An access to confidential data needs a purpose');
    const viewedAt = this.clock().toISOString();
    const event = {
      type: ACCESS_EVENT_TYPE,
      data: {
        viewerId: access.viewer.id,
        viewerRole: access.viewer.role,
        resourceKind: access.resource.kind,
        resourceId: access.resource.id,
        purpose: access.purpose.trim().slice(0, 500),
        ...(access.address ? { viewerAddress: access.address.slice(0, 100) } : {}),
        viewedAt,
      },
    };
    const context = {
      commandId: `access:${randomUUID()}`,
      correlationId: access.correlationId,
      actor: { id: access.viewer.id, role: access.viewer.role },
      communeId: access.communeId,
      recordedAt: viewedAt,
      traceparent: access.traceparent,
      tracestate: access.tracestate,
    };
    await this.store.append(accessStreamId(access.communeId), envelopesFor([event], context, () => 1), 'any');
  }

  /** The commune's trail from `fromRevision`, oldest first; `nextRevision` continues it. */
  async list(communeId: string | null, options: { fromRevision?: number; limit?: number; resourceId?: string } = {}): Promise<{ items: AccessTrailEntry[]; nextRevision: number | null }> {
    const limit = options.limit ?? 100;
    const events = await this.store.readStream(accessStreamId(communeId), { fromRevision: options.fromRevision ?? 0, maxCount: limit });
    const items = events
      .filter((e) => e.type === ACCESS_EVENT_TYPE)
      .map((e) => {
        const d = e.data as Record<string, string>;
        return {
          revision: e.revision,
          viewer: { id: d.viewerId!, role: d.viewerRole! },
          resource: { kind: d.resourceKind!, id: d.resourceId! },
          purpose: d.purpose!,
          address: d.viewerAddress ?? null,
          viewedAt: d.viewedAt!,
          eventId: e.metadata.eventId,
        };
      })
      .filter((entry) => options.resourceId === undefined || entry.resource.id === options.resourceId);
    return { items, nextRevision: events.length === limit ? events[events.length - 1]!.revision + 1 : null };
  }
}
