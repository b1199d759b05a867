import { Body, Controller, Get, Headers, Param, Put, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal } from '../http/principal.decorator.js';
import { ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { Census } from './census.js';

/** A commune's census list: its admin imports it as CSV; in-person checks match against it. */
@Controller('api/communes/:communeId/census')
@UseGuards(AuthGuard)
export class CensusController {
  constructor(private readonly census: Census) {}

  /** Replaces the list: `text/csv`, one resident per line, `documentNumber,quartierId` (quartier optional). */
  @Put()
  async import(@Param('communeId') communeId: string, @Body() body: unknown, @Headers('content-type') type: string | undefined, @CurrentPrincipal() principal: Principal) {
    if (!/^text\/(csv|plain)\b/.test(type ?? '') || typeof body !== 'string') {
      throw new ProblemError(415, 'census.not_csv', 'Send the list as text/csv: one resident per line, "documentNumber,quartierId".', [{ path: 'header.content-type', message: 'text/csv expected' }]);
    }
    return this.census.import(principal, communeId, body);
  }

  @Get()
  status(@Param('communeId') communeId: string, @CurrentPrincipal() principal: Principal) {
    return this.census.status(principal, communeId);
  }
}
