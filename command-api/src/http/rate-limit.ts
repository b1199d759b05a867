import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { EventStore } from '@palabre/event-store';
import type { Config } from '../config.js';
import { CONFIG, EVENT_STORE } from '../platform/tokens.js';
import type { AuthenticatedRequest } from './principal.decorator.js';
import { ProblemError } from './problem.js';
import { clientAddress } from './trust-proxy.js';

/**
 * Limits per minute on what citizens' phones can hammer, by device (principal) and by address.
 * Many phones share one carrier address (CGNAT), so an address's limit is sized for a town's
 * phones at once and only caps what one machine can cost the server; the device's is the guard.
 */
export const rateLimits = {
  'citizen-session': { perIp: 600, perPrincipal: 0 },
  login: { perIp: 30, perPrincipal: 0 },
  report: { perIp: 1200, perPrincipal: 20 },
  media: { perIp: 2400, perPrincipal: 30 },
  confirm: { perIp: 2400, perPrincipal: 60 },
} as const;
export type RateLimitName = keyof typeof rateLimits;

/** The command a request carries and the stream it lands on, or null when it carries no Idempotency-Key. */
export type CommandOfRequest = (request: AuthenticatedRequest) => { streamId: string; commandId: string } | null;

const RATE_LIMIT = 'palabre:rate-limit';
interface RateLimitSpec {
  readonly name: RateLimitName;
  readonly commandOf: CommandOfRequest | undefined;
}
/**
 * `commandOf`: a replay of a command already in its stream is answered from the log (the handler's
 * own idempotency) without using the device's quota, so a phone flushing a long outbox is not refused.
 */
export const RateLimit = (name: RateLimitName, commandOf?: CommandOfRequest) => SetMetadata(RATE_LIMIT, { name, commandOf } satisfies RateLimitSpec);

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
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.enabled = config.rateLimits;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<RateLimitSpec | undefined>(RATE_LIMIT, context.getHandler());
    if (!spec || !this.enabled) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const limits = rateLimits[spec.name];
    const now = Date.now();
    const retry =
      this.windows.take(`${spec.name}:ip:${addressKey(clientAddress(request))}`, limits.perIp, now) ??
      (limits.perPrincipal > 0 && request.principal?.kind === 'citizen' && !(await this.isReplay(request, spec.commandOf))
        ? this.windows.take(`${spec.name}:who:${request.principal.id}`, limits.perPrincipal, now)
        : null);
    if (retry !== null) {
      throw new ProblemError(429, 'rate.limited', `Too many requests; try again in ${retry} s.`, [], { retryAfterSeconds: retry }, { 'Retry-After': String(retry) });
    }
    return true;
  }

  /** The store already holds this command: the same test the handler makes to answer a retry. */
  private async isReplay(request: AuthenticatedRequest, commandOf: CommandOfRequest | undefined): Promise<boolean> {
    const command = commandOf?.(request);
    if (!command) return false;
    const events = await this.store.readStream(command.streamId);
    return events.some((e) => e.metadata.commandId === command.commandId);
  }
}

/** An IPv6 client owns a whole /64 (any phone can take a new address in it): its limits are the prefix's. */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}
