import type { Answers, ConsultationContent, IdentityLevel, LocalizedText, Question, QuestionResult, ResultsVisibility } from '@palabre/domain';
import type { ApiClient } from '../api/client.js';

export type ConsultationStatus = 'draft' | 'open' | 'closed' | 'cancelled' | 'published';

/** A row of `GET /api/consultations`. */
export interface ConsultationSummary {
  readonly id: string;
  readonly communeId: string;
  readonly status: ConsultationStatus;
  readonly title: LocalizedText;
  readonly quartierIds: readonly string[] | null;
  readonly requiredLevel: IdentityLevel;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly resultsVisibility: ResultsVisibility;
  readonly revision: number;
}

/** `GET /api/consultations/{id}`: everything the draft says, and where it stands. */
export interface ConsultationDetail extends Omit<ConsultationContent, 'quartierIds'> {
  readonly id: string;
  readonly communeId: string;
  readonly status: ConsultationStatus;
  readonly quartierIds: readonly string[] | null;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly publishedAt: string | null;
  readonly revision: number;
}

/** The body of `POST /api/consultations` (issue 15, item 9). */
export interface ConsultationDraft {
  readonly communeId: string;
  readonly quartierIds?: string[];
  readonly mediaIds?: string[];
  readonly title: LocalizedText;
  readonly description?: LocalizedText;
  readonly requiredLevel: IdentityLevel;
  readonly adultsOnly?: boolean;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly resultsVisibility: ResultsVisibility;
  readonly questions: Question[];
}

export interface BreakdownCellView {
  readonly quartierIds: readonly (string | null)[];
  readonly merged: boolean;
  readonly voters: number;
  readonly questions: readonly QuestionResult[];
}

/** `GET /api/consultations/{id}/results`, and the live `consultation.results` push: the same view. */
export interface ResultsView {
  readonly consultationId: string;
  readonly status: string;
  readonly turnout: number;
  readonly byChannel: { readonly online: number; readonly paper: number };
  readonly questions: readonly QuestionResult[];
  readonly byQuartier: { readonly withheld: boolean; readonly cells: readonly BreakdownCellView[] };
  /** The counting rules in words, by rule name (e.g. the budget's greedy rule). */
  readonly rules: Readonly<Record<string, string>>;
  readonly ballots: number;
  readonly position: string;
}

export type Transition = 'open' | 'close' | 'cancel' | 'publish';

/** The consultations part of the API, as the console uses it. */
export interface PollingTable {
  readonly pollingTableId: string;
  readonly paperBallots: number;
  readonly sheets: readonly {
    readonly media: readonly { readonly id: string; readonly url: string; readonly thumbnailUrl: string }[];
    readonly ballotsOnSheet: number;
    readonly note: string | null;
    readonly attachedBy: string;
    readonly attachedAt: string;
  }[];
}

export class ConsultationsApi {
  constructor(private readonly api: ApiClient) {}

  async list(communeId: string, signal?: AbortSignal): Promise<ConsultationSummary[]> {
    return (await this.api.get<{ items: ConsultationSummary[] }>(`/api/consultations?communeId=${encodeURIComponent(communeId)}&limit=200`, signal)).items;
  }

  get(id: string, signal?: AbortSignal): Promise<ConsultationDetail> {
    return this.api.get<ConsultationDetail>(`/api/consultations/${encodeURIComponent(id)}`, signal);
  }

  async create(draft: ConsultationDraft, idempotencyKey: string): Promise<{ id: string; revision: number }> {
    return (await this.api.request<{ id: string; revision: number }>('/api/consultations', { method: 'POST', json: draft, idempotencyKey })).data;
  }

  /** Rewrites a draft whole, at the revision the organiser edited. */
  async revise(id: string, { communeId: _commune, ...draft }: ConsultationDraft, revision: number): Promise<{ revision: number }> {
    return (await this.api.request<{ revision: number }>(`/api/consultations/${encodeURIComponent(id)}`, { method: 'PUT', json: draft, revision })).data;
  }

  /** Open, close, cancel (with a reason residents read) or publish, at the revision the organiser saw. */
  async transition(id: string, transition: Transition, revision: number, reason?: string): Promise<{ status: ConsultationStatus; revision: number }> {
    const json = transition === 'cancel' ? { reason } : {};
    return (await this.api.request<{ status: ConsultationStatus; revision: number }>(`/api/consultations/${encodeURIComponent(id)}/${transition}`, { method: 'POST', json, revision })).data;
  }

  results(id: string, signal?: AbortSignal): Promise<ResultsView> {
    return this.api.get<ResultsView>(`/api/consultations/${encodeURIComponent(id)}/results`, signal);
  }

  /** Each polling table's paper ballots in the log beside the tally sheets its agent attached. */
  async pollingTables(id: string, signal?: AbortSignal): Promise<PollingTable[]> {
    return (await this.api.get<{ items: PollingTable[] }>(`/api/consultations/${encodeURIComponent(id)}/polling-tables`, signal)).items;
  }

  /** An agent has checked the resident's identity document in person. */
  async verifyInPerson(citizenId: string, documentNumber: string, quartierId: string | null, birthDate: string | null): Promise<{ level: IdentityLevel; censusMatch: boolean }> {
    const json = { method: 'in_person', documentNumber, ...(quartierId ? { quartierId } : {}), ...(birthDate ? { birthDate } : {}) };
    return (await this.api.request<{ level: IdentityLevel; censusMatch: boolean }>(`/api/citizens/${encodeURIComponent(citizenId)}/verifications`, { method: 'POST', json })).data;
  }
}
