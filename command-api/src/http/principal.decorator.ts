import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../platform/principal.js';
import { ProblemError } from './problem.js';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The caller the AuthGuard authenticated; routes using it are never anonymous. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new ProblemError(401, 'auth.required', 'Sign in first: this needs an access token.');
  return request.principal;
});

/** Correlation id from the caller (`X-Correlation-Id`) or a fresh one, so a phone's retries can be followed in logs. */
export function correlationIdOf(request: Request): string {
  const header = request.header('x-correlation-id');
  return header && /^[A-Za-z0-9._:-]{1,100}$/.test(header) ? header : (request.header('x-request-id') ?? crypto.randomUUID());
}
