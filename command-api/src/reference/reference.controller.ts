import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { idSchema } from '@palabre/domain';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import type { Config } from '../config.js';
import { CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem } from '../http/problem.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { CONFIG } from '../platform/tokens.js';
import { StaffDirectory } from '../staff/staff-directory.js';
import { ReferenceCatalog } from './reference-catalog.js';

/** Public reference data (communes with boundaries, categories) and staff look-ups (teams, agents). */
@Controller('api')
export class ReferenceController {
  constructor(
    private readonly catalog: ReferenceCatalog,
    private readonly staff: StaffDirectory,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get('communes')
  communes() {
    return this.catalog.communes().map((c) => ({
      id: c.id,
      name: c.name,
      division: c.division,
      timeZone: 'Africa/Douala',
      boundary: c.boundary,
      quartiers: c.quartiers.map((q) => ({ id: q.id, name: q.name, boundary: q.boundary })),
      // How it runs proposals, in public: residents see the threshold and days, staff the answer states.
      proposalPolicy: this.catalog.proposalPolicy(c.id),
    }));
  }

  @Get('categories')
  categories() {
    return this.catalog.categories();
  }

  /** Client settings that come from the deployment. */
  @Get('config')
  clientConfig() {
    return { mapStyleUrl: this.config.mapStyleUrl, ticketOffsets: true };
  }

  @Get('teams')
  @UseGuards(AuthGuard)
  teams(@Query('communeId') rawCommune: string | undefined, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal);
    const communeId = rawCommune === undefined ? undefined : parseOrProblem(idSchema, rawCommune, 'query.communeId');
    return this.catalog.teams(communeId).filter((t) => canSeeCommune(principal, t.communeId));
  }

  @Get('agents')
  @UseGuards(AuthGuard)
  async agents(@Query('communeId') rawCommune: string | undefined, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal);
    const communeId = rawCommune === undefined ? undefined : parseOrProblem(idSchema, rawCommune, 'query.communeId');
    const accounts = await this.staff.list();
    return accounts
      .filter((a) => a.status === 'active')
      .filter((a) => a.grants.some((g) => g.role === 'field_agent' && g.communeId !== null && (communeId === undefined || g.communeId === communeId) && canSeeCommune(principal, g.communeId)))
      .map((a) => ({ id: a.userId, username: a.username, communeId: a.communeId }));
  }
}
