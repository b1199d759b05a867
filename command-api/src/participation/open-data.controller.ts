import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { csvCell } from '@palabre/audit';
import type pg from 'pg';
import { z } from 'zod';
import { parseOrProblem } from '../http/problem.js';
import { PG_POOL } from '../platform/tokens.js';
import { projectViews } from '../projects/project-view.js';
import { proposalViews } from '../proposals/proposal-view.js';

const query = z.object({ communeId: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/).optional() }).strict();
const files = z.enum(['proposals.csv', 'proposals.geojson', 'projects.csv', 'projects.geojson']);

/**
 * Open data of proposals and projects, for anyone, no account: CSV (RFC 4180, formulas defused, as
 * the auditor's readable files) and GeoJSON. Hidden proposals are left out; no author is named.
 */
@Controller('api/open-data')
export class OpenDataController {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  @Get(':file')
  async file(@Param('file') rawFile: string, @Query() raw: unknown, @Res() response: Response) {
    const file = parseOrProblem(files, rawFile, 'path.file');
    const { communeId } = parseOrProblem(query, raw, 'query');
    const [kind, format] = file.split('.') as ['proposals' | 'projects', 'csv' | 'geojson'];
    const table = kind === 'proposals' ? 'read.proposals' : 'read.projects';
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE ($1::text IS NULL OR commune_id = $1) ${kind === 'proposals' ? "AND status <> 'hidden'" : ''} ORDER BY id LIMIT 100000`,
      [communeId ?? null],
    );
    const ids = rows.map((r) => r.id);
    response.setHeader('Cache-Control', 'public, max-age=300');
    if (kind === 'proposals') {
      const views = await proposalViews(this.pool, ids);
      if (format === 'csv') return sendCsv(response, file, ['id', 'commune', 'quartier', 'state', 'category', 'title', 'supports', 'answer', 'answer_by', 'answer_late', 'cost_estimate', 'lat', 'lon', 'submitted_at'], views.map((p) => [p.id, p.communeId, p.quartierId, p.state, p.category, p.title, p.supports, p.answer?.state ?? null, p.answerBy, p.answerLate, p.costEstimate, p.location?.lat ?? null, p.location?.lon ?? null, p.submittedAt]));
      return sendGeoJson(response, views.filter((p) => p.location).map((p) => ({ id: p.id, point: p.location!, properties: { commune: p.communeId, quartier: p.quartierId, state: p.state, category: p.category, title: p.title, supports: p.supports, answerBy: p.answerBy, answerLate: p.answerLate } })));
    }
    const views = await projectViews(this.pool, ids);
    if (format === 'csv') return sendCsv(response, file, ['id', 'commune', 'status', 'title', 'stage', 'percent', 'currency', 'planned', 'committed', 'spent', 'milestones', 'proposals'], views.map((p) => [p.id, p.communeId, p.status, p.title, p.stage, p.percent, p.currency, p.budget?.planned ?? null, p.budget?.committed ?? null, p.budget?.spent ?? null, p.milestones.length, p.proposalIds.join(' ')]));
    // A project is where its milestones' evidence was photographed: each milestone photo with a place is a feature.
    return sendGeoJson(
      response,
      views.flatMap((p) => p.milestones.flatMap((m) => m.media.filter((x) => x.point).map((x) => ({ id: `${p.id}/${m.id}/${x.id}`, point: x.point!, properties: { project: p.id, title: p.title, status: p.status, percent: p.percent, milestone: m.title, reachedOn: m.reachedOn, photo: x.url } })))),
    );
  }
}

function sendCsv(response: Response, name: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const body = `\ufeff${header.join(',')}\r\n${rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')}`;
  response.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}"`).send(body);
}

function sendGeoJson(response: Response, features: readonly { id: string; point: { lat: number; lon: number }; properties: Record<string, unknown> }[]): void {
  response.type('application/geo+json').send(
    JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', id: f.id, geometry: { type: 'Point', coordinates: [f.point.lon, f.point.lat] }, properties: f.properties })) }),
  );
}

