import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard } from '../auth/auth.guard.js';
import { RateLimit, RateLimitGuard } from '../http/rate-limit.js';
import { CurrentPrincipal } from '../http/principal.decorator.js';
import { ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { MediaLibrary, mediaUrls } from './media-library.js';
import { MAX_UPLOAD_BYTES } from './process.js';
import { readMultipartFile } from './multipart.js';

@Controller('api/media')
export class MediaController {
  constructor(private readonly media: MediaLibrary) {}

  @Post()
  @UseGuards(AuthGuard, RateLimitGuard)
  @RateLimit('media')
  async upload(@Req() request: Request, @Res({ passthrough: true }) response: Response, @CurrentPrincipal() principal: Principal) {
    if (principal.role === 'auditor') throw new ProblemError(403, 'auth.forbidden', 'An auditor may not upload photos.');
    const file = await readMultipartFile(request, 'file', MAX_UPLOAD_BYTES);
    // Staff photos are evidence (a milestone on site): where they were taken is kept; a resident's never is.
    const stored = await this.media.accept(file, { keepGps: principal.kind === 'staff' });
    response.status(201).setHeader('Location', mediaUrls(stored.mediaId).url);
    return { mediaId: stored.mediaId, ...mediaUrls(stored.mediaId), width: stored.width, height: stored.height, bytes: stored.bytes, ...(stored.point ? { point: stored.point } : {}) };
  }

  /** Ids are SHA-256 of the content: unguessable, so photos are served without a token (plain <img> tags work). */
  @Get(':id')
  full(@Param('id') id: string, @Res() response: Response) {
    return this.send(id, 'full', response);
  }

  @Get(':id/thumb')
  thumb(@Param('id') id: string, @Res() response: Response) {
    return this.send(id, 'thumb', response);
  }

  private async send(id: string, variant: 'full' | 'thumb', response: Response) {
    const media = await this.media.read(id, variant);
    if (!media) throw new ProblemError(404, 'media.not_found', `No photo ${id}.`);
    response
      .status(200)
      .setHeader('Content-Type', media.contentType)
      .setHeader('Cache-Control', 'public, max-age=31536000, immutable')
      .setHeader('ETag', `"${id}-${variant}"`)
      .end(media.bytes);
  }
}
