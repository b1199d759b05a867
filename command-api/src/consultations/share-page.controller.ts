import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { consultationDecider, type QuestionResult, resultsVisible } from '@palabre/domain';
import type pg from 'pg';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { consultationIdSchema } from './requests.js';
import { projectedResults } from './results-view.js';
import { pageLanguage, renderNotFoundPage, renderSharePage } from './share-page.js';

/**
 * `/c/{id}`: the link a commune shares by SMS, WhatsApp or on a poster. Public and server-rendered, so
 * it opens on any phone's browser, app installed or not; drafts do not exist here.
 */
@Controller('c')
export class ConsultationSharePageController {
  constructor(
    private readonly streams: Streams,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  @Get(':id')
  async page(@Param('id') rawId: string, @Query('lang') lang: unknown, @Headers('accept-language') accept: string | undefined, @Res() response: Response) {
    const language = pageLanguage(lang, accept);
    response.setHeader('Content-Language', language);
    response.setHeader('Vary', 'Accept-Language');
    const id = consultationIdSchema.safeParse(rawId.toUpperCase());
    const loaded = id.success ? await this.streams.load(consultationDecider, id.data) : null;
    const consultation = loaded?.state;
    if (!id.success || !consultation || consultation.status === 'none' || consultation.status === 'draft' || !consultation.content) {
      response.status(404).type('html').setHeader('Cache-Control', 'no-store').send(renderNotFoundPage(language));
      return;
    }
    const [commune, quartiers, results] = await Promise.all([
      this.pool.query<{ name: string; time_zone: string }>('SELECT name, time_zone FROM reference.communes WHERE id = $1', [consultation.communeId]),
      this.pool.query<{ id: string; name: string }>('SELECT id, name FROM reference.quartiers WHERE commune_id = $1', [consultation.communeId]),
      resultsVisible(consultation) ? projectedResults(this.pool, id.data) : Promise.resolve(null),
    ]);
    const figures = results === null ? null : ((results?.results as { turnout: number; questions: QuestionResult[] } | undefined) ?? { turnout: 0, questions: [] });
    // Shared links are opened by many at once: a minute's cache spares the server, live figures stay near.
    response.setHeader('Cache-Control', 'public, max-age=60');
    response.type('html').send(
      renderSharePage(
        {
          id: id.data,
          consultation,
          communeName: commune.rows[0]?.name ?? consultation.communeId!,
          quartierNames: new Map(quartiers.rows.map((q) => [q.id, q.name])),
          results: figures,
          timeZone: commune.rows[0]?.time_zone ?? 'Africa/Douala',
        },
        language,
      ),
    );
  }
}
