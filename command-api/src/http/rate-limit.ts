import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { Config } from '../config.js';
import { CONFIG } from '../platform/tokens.js';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from './principal.decorator.js';
import { ProblemError } from './problem.js';

/** Limits per minute on what citizens' phones can hammer: by device (principal) and by IP. */
export const rateLimits = {
  'citizen-session': { perIp: 60, perPrincipal: 0 },
  login: { perIp: 30, perPrincipal: 0 },
  report: { perIp: 300, perPrincipal: 20 },
  media: { perIp: 300, perPrincipal: 30 },
  confirm: { perIp: 600, perPrincipal: 60 },
} as const;
export type RateLimitName = keyof typeof rateLimits;

const RATE_LIMIT = 'palabre:rate-limit';
export const RateLimit = (name: RateLimitName) => SetMetadata(RATE_LIMIT, name);

/** Sliding one-minute windows in memory: enough for one API process; a cluster would move them to PostgreSQL. */
class Windows {
  private readonly hits = new Map<string, number[]>();

  take(key: string, limit: number, now: number): number | null {
    const since = now - 60_000;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      return Math.ceil((recent[0]! + 60_000 - now) / 1000);
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 50_000) this.prune(since);
    return null;
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (times.every((t) => t <= since)) this.hits.delete(key);
  }
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Windows();
  private readonly enabled: boolean;

  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIG) config: Config,
  ) {
    this.enabled = config.rateLimits;
  }

  canActivate(context: ExecutionContext): boolean {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT, context.getHandler());
    if (!name || !this.enabled) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const limits = rateLimits[name];
    const now = Date.now();
    const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const retry =
      this.windows.take(`${name}:ip:${ip}`, limits.perIp, now) ??
      (limits.perPrincipal > 0 && request.principal && request.principal.kind === 'citizen' ? this.windows.take(`${name}:who:${request.principal.id}`, limits.perPrincipal, now) : null);
    if (retry !== null) {
      throw new ProblemError(429, 'rate.limited', `Too many requests; try again in ${retry} s.`, [], { retryAfterSeconds: retry }, { 'Retry-After': String(retry) });
    }
    return true;
  }
}
