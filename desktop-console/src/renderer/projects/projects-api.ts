import type { ApiClient } from '../api/client.js';

export type ProjectStatus = 'active' | 'suspended' | 'completed';
export type Currency = 'XAF' | 'XOF';
export const currencies: readonly Currency[] = ['XAF', 'XOF'];

export interface ProjectBudget {
  readonly planned: number;
  readonly committed: number;
  readonly spent: number;
  readonly reason: string | null;
}

/** A project as `GET /api/projects` lists it. */
export interface ProjectSummary {
  readonly id: string;
  readonly communeId: string;
  readonly status: ProjectStatus;
  readonly title: string;
  readonly description: string | null;
  readonly proposalIds: readonly string[];
  readonly currency: Currency;
  readonly stage: string | null;
  readonly percent: number;
  readonly budget: ProjectBudget | null;
  readonly revision: number;
}

export interface MilestonePhoto {
  readonly id: string;
  readonly url: string;
  readonly thumbnailUrl: string;
  /** Where the photo was taken, read from it at a staff upload; null when it did not say. */
  readonly point: { readonly lat: number; readonly lon: number } | null;
}

export interface Milestone {
  readonly id: string;
  readonly title: string;
  readonly note: string | null;
  readonly reachedOn: string;
  readonly media: readonly MilestonePhoto[];
  readonly recordedAt: string;
}

/** A project as `GET /api/projects/{id}` and `project.updated` give it. */
export interface ProjectView extends ProjectSummary {
  readonly stages: readonly { readonly stage: string; readonly enteredAt: string | null }[];
  readonly milestones: readonly Milestone[];
}

export interface NewProject {
  readonly communeId: string;
  readonly title: string;
  readonly description?: string;
  readonly proposalIds?: readonly string[];
  readonly currency: Currency;
}

export interface BudgetBody {
  readonly planned: number;
  readonly committed: number;
  readonly spent: number;
  readonly reason?: string;
}

export interface MilestoneBody {
  readonly title: string;
  readonly note?: string;
  readonly reachedOn: string;
  readonly mediaIds: readonly string[];
}

/** Calls of the projects API the console makes; each write answers the project's new revision. */
export class ProjectsApi {
  constructor(private readonly api: ApiClient) {}

  async list(communeId: string, signal?: AbortSignal): Promise<readonly ProjectSummary[]> {
    return (await this.api.get<{ items: ProjectSummary[] }>(`/api/projects?${new URLSearchParams({ communeId, limit: '200' })}`, signal)).items;
  }

  async get(id: string, signal?: AbortSignal): Promise<ProjectView> {
    const response = await this.api.request<ProjectView>(this.#path(id), signal ? { signal } : {});
    return { ...response.data, revision: response.revision ?? response.data.revision };
  }

  async create(project: NewProject, idempotencyKey: string): Promise<string> {
    return (await this.api.request<{ id: string }>('/api/projects', { method: 'POST', json: project, idempotencyKey })).data.id;
  }

  /** Stages, progress and milestones come from the field too: no revision, a key against double sending. */
  enterStage(id: string, stage: string, idempotencyKey: string): Promise<number> {
    return this.#post(id, 'stages', { stage }, { idempotencyKey });
  }

  reportProgress(id: string, percent: number, idempotencyKey: string): Promise<number> {
    return this.#post(id, 'progress', { percent }, { idempotencyKey });
  }

  recordMilestone(id: string, milestone: MilestoneBody, idempotencyKey: string): Promise<number> {
    return this.#post(id, 'milestones', milestone, { idempotencyKey });
  }

  /** The budget, suspending, resuming and completing are decided on the revision read (If-Match). */
  reportBudget(id: string, budget: BudgetBody, revision: number): Promise<number> {
    return this.#post(id, 'budget', budget, { revision });
  }

  suspend(id: string, reason: string, revision: number): Promise<number> {
    return this.#post(id, 'suspend', { reason }, { revision });
  }

  resume(id: string, revision: number): Promise<number> {
    return this.#post(id, 'resume', {}, { revision });
  }

  complete(id: string, revision: number): Promise<number> {
    return this.#post(id, 'complete', {}, { revision });
  }

  async #post(id: string, action: string, json: unknown, options: { revision?: number; idempotencyKey?: string }): Promise<number> {
    return (await this.api.request<{ revision: number }>(`${this.#path(id)}/${action}`, { method: 'POST', json, ...options })).data.revision;
  }

  #path(id: string): string {
    return `/api/projects/${encodeURIComponent(id)}`;
  }
}
