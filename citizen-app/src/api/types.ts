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
  /** How the commune runs proposals (servers that say it): its threshold and its own answer states. */
  proposalPolicy?: { supportThreshold: number; answerDays: number; answerStates: { id: string; labels: Localized; final: boolean }[] };
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

export type IdentityLevel = 'device' | 'phone' | 'in_person';
export type ConsultationStatus = 'draft' | 'open' | 'closed' | 'cancelled' | 'published';
export interface Localized {
  fr: string;
  en: string;
}

export interface ConsultationSummary {
  id: string;
  communeId: string;
  status: ConsultationStatus;
  title: Localized;
  quartierIds: string[] | null;
  requiredLevel: IdentityLevel;
  opensAt: string;
  closesAt: string;
  resultsVisibility: 'live' | 'at_close';
}

export interface ConsultationOption {
  id: string;
  label: Localized;
  cost?: number;
  /** Where the option is (a proposed site): it then has a marker on the consultation's map. */
  point?: { lat: number; lon: number };
}

export type ConsultationQuestion =
  | { id: string; kind: 'single'; text: Localized; options: ConsultationOption[] }
  | { id: string; kind: 'multiple'; text: Localized; options: ConsultationOption[]; maxChoices: number }
  | { id: string; kind: 'scale'; text: Localized }
  | { id: string; kind: 'text'; text: Localized; maxLength?: number; required?: boolean }
  | { id: string; kind: 'budget'; text: Localized; options: ConsultationOption[]; budget: number };

export interface ConsultationDetail extends ConsultationSummary {
  description: Localized | null;
  /** Photos from the media library, each at /api/media/{id} and /api/media/{id}/thumb. */
  mediaIds: string[];
  questions: ConsultationQuestion[];
  revision: number;
}

export type BallotAnswer = string | string[] | number;

export interface ConsultationResults {
  consultationId: string;
  status: ConsultationStatus;
  turnout: number;
  byChannel: { online: number; paper: number };
  questions: { questionId: string; kind: string; answered: number; options?: { optionId: string; votes: number }[]; winners?: string[]; average?: number | null }[];
  rules: Record<string, string>;
  ballots: number;
}

export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
  keyId: string;
}

export interface ReceiptRecord {
  receipt: string;
  consultationId: string;
  ballotId: string;
  channel: 'online' | 'paper';
  answers: Record<string, BallotAnswer>;
  castAt: string;
  counted: boolean;
  envelope: string;
  inclusion: { leafIndex: number; treeSize: number; leafHash: string; inclusionProof: string[]; rootHash: string; treeHead: SignedTreeHead } | null;
}

export interface CitizenMe {
  id: string;
  level: IdentityLevel;
  residence: { communeId: string; quartierId: string | null; checked: boolean } | null;
}

/** Where a proposal is: a point on the map, a quartier, or both (at least one). */
export interface ProposalRequest {
  title: string;
  description: string;
  category: string;
  location?: { lat: number; lon: number };
  quartierId?: string;
  /** Whole francs CFA, the author's own estimate. */
  costEstimate?: number;
}

/** `open` (no answer yet), the commune's answer state (`under_study`, `accepted`…), `hidden`, `withdrawn` or `merged`. */
export type ProposalState = string;

export interface ProposalAnswer {
  state: string;
  text: { fr?: string; en?: string };
  cost: number | null;
  answeredAt: string;
}

/** What the reader did to a proposal, as the API says it (absent from live pushes and older servers). */
export interface ProposalViewer {
  author: boolean;
  supporting: boolean;
  flagged: boolean;
}

export interface ProposalView {
  id: string;
  communeId: string;
  state: ProposalState;
  title: string;
  description: string;
  category: string;
  quartierId: string | null;
  location: { lat: number; lon: number } | null;
  media: { id: string; url: string; thumbnailUrl: string }[];
  author: { kind: 'citizen' | 'group'; name: string | null };
  costEstimate: number | null;
  supports: number;
  /** Supports after which the commune must answer (servers that say it). */
  supportThreshold?: number;
  answer: ProposalAnswer | null;
  answerBy: string | null;
  answerLate: boolean;
  mergedInto: string | null;
  submittedAt: string;
  revision: number;
  viewer?: ProposalViewer | null;
}

export type Currency = 'XAF' | 'XOF';

export interface ProjectSummary {
  id: string;
  communeId: string;
  status: 'active' | 'suspended' | 'completed';
  title: string;
  description: string | null;
  proposalIds: string[];
  currency: Currency;
  stage: string | null;
  percent: number;
  budget: { planned: number; committed: number; spent: number; reason: string | null } | null;
  revision: number;
}

export interface ProjectMilestone {
  id: string;
  title: string;
  note: string | null;
  reachedOn: string;
  media: { id: string; url: string; thumbnailUrl: string; point: { lat: number; lon: number } | null }[];
  recordedAt: string;
}

export interface ProjectView extends ProjectSummary {
  stages: { stage: string; enteredAt: string | null }[];
  milestones: ProjectMilestone[];
}
