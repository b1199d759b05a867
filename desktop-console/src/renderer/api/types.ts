import type { AnswerStateDefinition, Boundary, Labels, Priority, RejectionReason, TicketStatus } from '@palabre/domain';

/** Shapes of the Palabre HTTP API the console reads (notes/api-contract.md). */

export type StaffRole = 'admin' | 'dispatcher' | 'field_agent' | 'auditor';

export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly communes: '*' | readonly string[];
}

export interface LoginResponse {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly user: SessionUser;
}

export type OpenStatus = Exclude<TicketStatus, 'none'>;

export interface TicketSla {
  readonly acknowledgeBy: string | null;
  readonly resolveBy: string | null;
  readonly acknowledgeBreached: boolean;
  readonly resolveBreached: boolean;
  readonly breached: boolean;
}

export interface TicketMedia {
  readonly id: string;
  readonly url: string;
  readonly thumbnailUrl: string;
}

export interface TicketView {
  readonly id: string;
  readonly reference: string;
  readonly communeId: string;
  readonly quartierId: string | null;
  readonly category: string;
  readonly subcategory: string | null;
  readonly status: OpenStatus;
  readonly priority: Priority;
  readonly teamId: string | null;
  readonly agentId: string | null;
  readonly location: { readonly lat: number; readonly lon: number; readonly accuracy: number | null } | null;
  readonly plusCode: string | null;
  readonly landmark: string | null;
  readonly description: string;
  readonly media: readonly TicketMedia[];
  readonly anonymous: boolean;
  readonly confidential: boolean;
  readonly channel: string | null;
  readonly confirmations: number;
  readonly reportedAt: string;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly updatedAt: string;
  readonly sla: TicketSla | null;
  readonly duplicateOf: string | null;
  readonly resolution: { readonly note: string; readonly mediaIds: readonly string[] } | null;
  readonly rejection: { readonly reason: RejectionReason; readonly note: string | null } | null;
  readonly revision: number;
}

export interface TicketPage {
  readonly items: readonly TicketView[];
  readonly total: number;
  readonly nextCursor: string | null;
  /** Present when the server honoured an `offset` (random access into the result). */
  readonly offset?: number;
}

export interface TimelineItem {
  readonly revision: number;
  readonly type: string;
  readonly summary: string;
  readonly data: Record<string, unknown>;
  readonly actor: { readonly id: string; readonly role: string; readonly name?: string } | null;
  readonly at: string;
  readonly visibility: 'public' | 'internal';
}

/** A ticket's history and the revision it has reached (null before its first line). */
export interface TicketHistory {
  readonly items: readonly TimelineItem[];
  readonly revision: number | null;
}

export interface QuartierInfo {
  readonly id: string;
  readonly name: string;
  readonly boundary: Boundary;
}

export interface CommuneInfo {
  readonly id: string;
  readonly name: string;
  readonly division: string;
  readonly timeZone?: string;
  readonly boundary: Boundary;
  readonly quartiers: readonly QuartierInfo[];
  /** How the commune runs proposals (a server that does not say runs the default policy). */
  readonly proposalPolicy?: { readonly answerStates?: readonly AnswerStateDefinition[]; readonly supportThreshold?: number; readonly answerDays?: number; readonly flagsToHide?: number };
}

export interface CategoryInfo {
  readonly id: string;
  readonly labels: Labels;
  readonly icon: string;
  readonly subcategories: readonly { readonly id: string; readonly labels: Labels }[];
}

export interface TeamInfo {
  readonly id: string;
  readonly communeId: string;
  readonly name: string;
  readonly categories: readonly string[];
}

export interface AgentInfo {
  readonly id: string;
  readonly username: string;
}

export interface ServerConfig {
  readonly mapStyleUrl: string | null;
  /** GET /api/tickets accepts `offset` (random access for far scrollbar jumps). */
  readonly ticketOffsets?: boolean;
}

export interface StatsDay {
  readonly day: string;
  readonly category: string;
  readonly received: number;
  readonly acknowledged: number;
  readonly resolved: number;
  readonly medianAckSeconds: number | null;
  readonly medianResolveSeconds: number | null;
}

export interface StatsTotals {
  readonly received: number;
  readonly acknowledged: number;
  readonly resolved: number;
  readonly medianAckSeconds: number | null;
  readonly medianResolveSeconds: number | null;
  readonly breachRate: number | null;
}

export interface StatsGroup extends Partial<StatsTotals> {
  readonly category?: string;
  readonly quartierId?: string | null;
  readonly received: number;
}

export interface Stats {
  readonly communeId: string;
  readonly from: string;
  readonly to: string;
  readonly days: readonly StatsDay[];
  readonly totals: StatsTotals;
  readonly byCategory: readonly StatsGroup[];
  readonly byQuartier: readonly StatsGroup[];
}

export interface ActionResult {
  readonly id: string;
  readonly revision: number;
  readonly events: readonly string[];
}

export interface TicketUpdate {
  readonly ticket: TicketView;
  readonly revision: number;
  readonly position: string | number;
}

/** The history of a ticket pushed earlier without it has now reached `revision`. */
export interface TimelineUpdate {
  readonly ticketId: string;
  readonly revision: number;
}
