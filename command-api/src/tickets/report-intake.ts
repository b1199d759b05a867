import { Inject, Injectable } from '@nestjs/common';
import { DomainRuleError, routeReport, type TicketAbout } from '@palabre/domain';
import { ProblemError } from '../http/problem.js';
import { MediaLibrary } from '../media/media-library.js';
import type { Principal } from '../platform/principal.js';
import { ReferenceCatalog } from '../reference/reference-catalog.js';
import { Vault } from '../vault/index.js';
import type { ReportRequest } from './requests.js';

/**
 * Turns a citizen's report into SubmitReport data: checks the category and photos, routes it by
 * its point, and moves contact details to the vault so the log only carries a subject id.
 */
@Injectable()
export class ReportIntake {
  constructor(
    private readonly reference: ReferenceCatalog,
    private readonly media: MediaLibrary,
    @Inject(Vault) private readonly vault: Vault,
  ) {}

  /** `about`: the project a resident's comment is on (the ticket stays linked to it). */
  async prepare(ticketId: string, body: ReportRequest, principal: Principal, about: TicketAbout | null = null): Promise<Record<string, unknown>> {
    const category = await this.reference.category(body.category);
    if (!category) {
      throw new ProblemError(400, 'category.unknown', `There is no category "${body.category}".`, [{ path: 'body.category', message: 'unknown category' }]);
    }
    if (body.subcategory !== undefined && !category.subcategories.some((s) => s.id === body.subcategory)) {
      throw new ProblemError(400, 'subcategory.unknown', `Category ${category.id} has no subcategory "${body.subcategory}".`, [
        { path: 'body.subcategory', message: 'unknown subcategory' },
      ]);
    }
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
    const routing = this.route(body);
    const contactSubjectId = body.contact && Object.keys(body.contact).length > 0 ? await this.storeContact(ticketId, body.contact) : null;
    const citizen = principal.kind === 'citizen';
    return {
      ticketId,
      category: body.category,
      subcategory: body.subcategory ?? null,
      description: body.description,
      location: { lat: body.location.lat, lon: body.location.lon, accuracy: body.location.accuracy ?? null },
      landmark: body.landmark && body.landmark.length > 0 ? body.landmark : null,
      mediaIds: body.mediaIds ?? [],
      reporterId: citizen ? principal.id : null,
      contactSubjectId,
      anonymous: body.anonymous ?? false,
      confidential: body.confidential ?? false,
      channel: citizen ? 'app' : 'agent',
      clientTime: body.clientTime ?? null,
      about,
      routing,
    };
  }

  private route(body: ReportRequest) {
    try {
      return routeReport({ location: { lat: body.location.lat, lon: body.location.lon }, category: body.category }, this.reference.routingReference());
    } catch (error) {
      if (error instanceof DomainRuleError && error.code === 'location.outside_communes') {
        throw new ProblemError(400, error.code, error.message, [{ path: 'body.location', message: 'outside every commune served' }]);
      }
      throw error;
    }
  }

  /** One vault subject per ticket, derived from it, so a retried report rewrites the same subject. */
  private async storeContact(ticketId: string, contact: NonNullable<ReportRequest['contact']>): Promise<string> {
    const subjectId = `S${ticketId.slice(1)}`;
    await this.vault.storeContact(subjectId, contact);
    return subjectId;
  }
}
