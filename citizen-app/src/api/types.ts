import type { Boundary } from '@palabre/domain/geo/geometry';

/** Shapes of the Palabre HTTP contract the citizen app reads (see notes/api-contract.md). */

export type TicketStatus = 'new' | 'triaged' | 'assigned' | 'in_progress' | 'resolved' | 'reopened' | 'closed' | 'rejected' | 'duplicate';

export interface TicketView {
  id: string;
  reference: string;
  communeId: string;
  quartierId: string | null;
  category: string;
  subcategory: string | null;
  status: TicketStatus;
  priority: string | null;
  location: { lat: number; lon: number; accuracy: number | null };
  plusCode: string | null;
  landmark: string | null;
  description: string;
  media: { id: string; url: string; thumbnailUrl: string }[];
  anonymous: boolean;
  confidential: boolean;
  confirmations: number;
  mine?: boolean;
  confirmedByMe?: boolean;
  reportedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  resolution: { note: string; mediaIds: string[] } | null;
  rejection: { reason: string; note: string | null } | null;
  revision: number;
}

export interface TimelineItem {
  revision: number;
  type: string;
  summary: string;
  data: Record<string, unknown>;
  actor: { id: string; role: string } | null;
  at: string;
  visibility: 'public' | 'internal';
}

/** A ticket's history and the revision it has reached (null before its first line). */
export interface TicketHistory {
  items: TimelineItem[];
  revision: number | null;
}

export interface CategoryRef {
  id: string;
  labels: { fr: string; en: string };
  icon: string;
  subcategories: { id: string; labels: { fr: string; en: string } }[];
}

export interface CommuneRef {
  id: string;
  name: string;
  boundary: Boundary;
  quartiers: { id: string; name: string; boundary: Boundary }[];
}

export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
}

/** The body of POST /api/tickets, without the media ids the outbox adds once photos are uploaded. */
export interface ReportRequest {
  category: string;
  subcategory?: string;
  description: string;
  location: { lat: number; lon: number; accuracy?: number };
  landmark?: string;
  anonymous: boolean;
  confidential: boolean;
  contact?: Contact;
  clientTime: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: { path: string; message: string }[];
}
