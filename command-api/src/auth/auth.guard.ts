import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../http/principal.decorator.js';
import { ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { AuthError } from './errors.js';
import { TokenService } from './tokens.js';

/** Bearer token → `request.principal`; routes behind it refuse anonymous callers with 401. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await authenticate(this.tokens, request.header('authorization'));
    return true;
  }
}

/** Same check for socket handshakes and HTTP. */
export async function authenticate(tokens: TokenService, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new ProblemError(401, 'auth.required', 'Sign in first: send "Authorization: Bearer <access token>".', [], {}, { 'WWW-Authenticate': 'Bearer' });
  return principalFromToken(tokens, match[1]!);
}

export async function principalFromToken(tokens: TokenService, token: string): Promise<Principal> {
  try {
    const claims = await tokens.verifyAccess(token);
    return { kind: claims.kind, id: claims.sub, role: claims.role, communes: claims.communes };
  } catch (error) {
    if (error instanceof AuthError) {
      const expired = error.code === 'auth.token_expired';
      throw new ProblemError(401, expired ? 'auth.expired' : 'auth.invalid', expired ? 'Your session expired: refresh the token or sign in again.' : 'This access token is not valid.', [], {}, {
        'WWW-Authenticate': `Bearer error="invalid_token"`,
      });
    }
    throw error;
  }
}

/** Staff-only routes: citizens and other roles get 403 with a sentence. */
export function requireStaff(principal: Principal, roles: readonly Principal['role'][] = ['admin', 'dispatcher', 'field_agent', 'auditor']): void {
  if (principal.kind !== 'staff' || !roles.includes(principal.role)) {
    throw new ProblemError(403, 'auth.forbidden', `This needs one of the roles: ${roles.join(', ')}.`);
  }
}
