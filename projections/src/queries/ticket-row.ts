/** A row of the console grid. Times are ISO-8601 strings. */
export interface TicketSummary {
  readonly id: string;
  readonly communeId: string | null;
  readonly quartierId: string | null;
  readonly category: string | null;
  readonly subcategory: string | null;
  readonly status: string;
  readonly priority: string;
  readonly teamId: string | null;
  readonly agentId: string | null;
  readonly location: { readonly lat: number; readonly lon: number; readonly accuracy: number | null } | null;
  readonly landmark: string | null;
  readonly description: string | null;
  readonly confirmations: number;
  readonly anonymous: boolean;
  readonly confidential: boolean;
  readonly channel: string | null;
  readonly reportedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly ackDueAt: string | null;
  readonly resolveDueAt: string | null;
  /** From when the ticket counts as late (null: on time so far). */
  readonly breachAt: string | null;
  /** Late on an SLA deadline (acknowledgement or resolution) as of when the query ran, as `slaStatus` says. */
  readonly breached: boolean;
  readonly duplicateOf: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Stream revision: the value for HTTP `If-Match`. */
  readonly revision: number;
}

/** Everything staff may see about one ticket. The reporter is withheld when they chose anonymity. */
export interface TicketDetail extends TicketSummary {
  readonly mediaIds: readonly string[];
  readonly reporterId: string | null;
  readonly contactSubjectId: string | null;
  readonly assignedAt: string | null;
  readonly rejectedAt: string | null;
  readonly rejectionReason: string | null;
  readonly disputeCount: number;
  readonly resolution: { readonly note: string; readonly mediaIds: readonly string[] } | null;
  /** The project a resident's comment is about (null for a report of a place). */
  readonly about: { readonly kind: 'project'; readonly id: string } | null;
  readonly position: string;
}

type Row = Record<string, unknown>;

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));

export function toTicketSummary(r: Row): TicketSummary {
  return {
    id: r.id as string,
    communeId: r.commune_id as string | null,
    quartierId: r.quartier_id as string | null,
    category: r.category as string | null,
    subcategory: r.subcategory as string | null,
    status: r.status as string,
    priority: r.priority as string,
    teamId: r.team_id as string | null,
    agentId: r.agent_id as string | null,
    location: r.lat === null ? null : { lat: r.lat as number, lon: r.lon as number, accuracy: r.accuracy as number | null },
    landmark: r.landmark as string | null,
    description: r.description as string | null,
    confirmations: r.confirmations as number,
    anonymous: r.anonymous as boolean,
    confidential: r.confidential as boolean,
    channel: r.channel as string | null,
    reportedAt: iso(r.reported_at),
    acknowledgedAt: iso(r.acknowledged_at),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    ackDueAt: iso(r.ack_due_at),
    resolveDueAt: iso(r.resolve_due_at),
    breachAt: iso(r.breach_at),
    breached: r.breached === true,
    duplicateOf: r.duplicate_of as string | null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    revision: r.revision as number,
  };
}

/** Timestamp columns of `tickets`: a read hands them back as instants, whatever text they were written as. */
const TIMESTAMP_COLUMNS = [
  'reported_at', 'acknowledged_at', 'assigned_at', 'resolved_at', 'closed_at', 'rejected_at', 'ack_due_at', 'resolve_due_at',
  'breach_at', 'created_at', 'updated_at',
] as const;

/**
 * The detail of a row the tickets projector has just written (`ProjectedBatch.tickets`), as reading
 * it back at `now` (ms) would give: live updates push it without that read.
 */
export function projectedTicketDetail(row: Row, now: number): TicketDetail {
  const read: Row = { ...row };
  for (const column of TIMESTAMP_COLUMNS) {
    const value = row[column];
    if (value !== null && value !== undefined) read[column] = new Date(value as string);
  }
  const breachAt = read.breach_at as Date | null | undefined;
  read.breached = breachAt instanceof Date && breachAt.getTime() < now;
  return toTicketDetail(read);
}

export function toTicketDetail(r: Row): TicketDetail {
  const state = r.state as { resolution?: TicketDetail['resolution']; about?: TicketDetail['about'] };
  const anonymous = r.anonymous === true;
  return {
    ...toTicketSummary(r),
    mediaIds: r.media_ids as string[],
    reporterId: anonymous ? null : (r.reporter_id as string | null),
    contactSubjectId: anonymous ? null : (r.contact_subject_id as string | null),
    assignedAt: iso(r.assigned_at),
    rejectedAt: iso(r.rejected_at),
    rejectionReason: r.rejection_reason as string | null,
    disputeCount: r.dispute_count as number,
    resolution: state.resolution ?? null,
    about: state.about ?? null,
    position: r.position as string,
  };
}
