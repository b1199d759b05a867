import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { type ExportFormat, type ExportScope, exportBundle, type Manifest } from '@palabre/audit';
import type { EventStore } from '@palabre/event-store';
import type { Config } from '../config.js';
import { CONFIG, EVENT_STORE, PG_POOL } from '../platform/tokens.js';
import { AuditLog } from './audit-log.js';

export interface ExportJob {
  readonly id: string;
  readonly requestedBy: string;
  readonly role: string;
  readonly scope: ExportScope;
  readonly formats: readonly ExportFormat[];
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly done: number;
  readonly total: number;
  readonly error: string | null;
  readonly directory: string | null;
  readonly manifest: Manifest | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

interface JobRow {
  job_id: string;
  requested_by: string;
  role: string;
  scope: ExportScope;
  formats: ExportFormat[];
  status: ExportJob['status'];
  done: string;
  total: string;
  error: string | null;
  directory: string | null;
  manifest: Manifest | null;
  created_at: Date;
  finished_at: Date | null;
}

const toJob = (r: JobRow): ExportJob => ({
  id: r.job_id,
  requestedBy: r.requested_by,
  role: r.role,
  scope: r.scope,
  formats: r.formats,
  status: r.status,
  done: Number(r.done),
  total: Number(r.total),
  error: r.error,
  directory: r.directory,
  manifest: r.manifest,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/**
 * Export jobs run in this process, one at a time (an export is CPU- and disk-bound); their state
 * lives in `audit.export_jobs` so any API process can report progress. Bundles are written under
 * `<data dir>/exports/<job id>/`.
 */
@Injectable()
export class ExportJobs {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly audit: AuditLog,
  ) {}

  async start(request: { requestedBy: string; role: string; scope: ExportScope; formats: readonly ExportFormat[]; staffNames: boolean }): Promise<ExportJob> {
    const id = `X${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    const { rows } = await this.pool.query<JobRow>(
      `INSERT INTO audit.export_jobs (job_id, requested_by, role, scope, formats, status) VALUES ($1, $2, $3, $4, $5, 'queued') RETURNING *`,
      [id, request.requestedBy, request.role, JSON.stringify(request.scope), request.formats],
    );
    this.queue = this.queue.then(() => this.run(id, request));
    return toJob(rows[0]!);
  }

  async get(id: string): Promise<ExportJob | null> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM audit.export_jobs WHERE job_id = $1', [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Resolves when every job queued so far has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async run(id: string, request: { scope: ExportScope; formats: readonly ExportFormat[]; staffNames: boolean; role: string }): Promise<void> {
    const directory = join(this.config.dataDir, 'exports', id);
    let lastWrite = 0;
    try {
      mkdirSync(join(this.config.dataDir, 'exports'), { recursive: true, mode: 0o700 });
      if (existsSync(directory)) throw new Error(`Export directory ${directory} already exists`);
      await this.pool.query(`UPDATE audit.export_jobs SET status = 'running', directory = $2 WHERE job_id = $1`, [id, directory]);
      const manifest = await exportBundle({
        store: this.store,
        pool: this.pool,
        scope: request.scope,
        formats: request.formats,
        outDir: directory,
        signer: this.audit.signer,
        staffNames: request.staffNames,
        requestedByRole: request.role,
        onProgress: (p) => {
          // Progress is for people: a write every half second is plenty.
          if (p.phase !== 'events' || performance.now() - lastWrite < 500) return;
          lastWrite = performance.now();
          void this.pool.query('UPDATE audit.export_jobs SET done = $2, total = $3 WHERE job_id = $1', [id, p.done, p.total]).catch(() => {});
        },
      });
      const scanned = manifest.leafRange.end - manifest.leafRange.first;
      await this.pool.query(`UPDATE audit.export_jobs SET status = 'done', done = $2, total = $2, manifest = $3, finished_at = now() WHERE job_id = $1`, [id, scanned, JSON.stringify(manifest)]);
    } catch (error) {
      await this.pool
        .query(`UPDATE audit.export_jobs SET status = 'failed', error = $2, finished_at = now() WHERE job_id = $1`, [id, error instanceof Error ? error.message : String(error)])
        .catch(() => {});
    }
  }
}
