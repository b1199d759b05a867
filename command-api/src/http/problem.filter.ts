import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodError } from 'zod';
import { answerRefusals, contentRefusals, DomainRuleError, voterRefusals } from '@palabre/domain';
import { InvalidEventError, isDatabaseUnavailable, WrongExpectedRevisionError } from '@palabre/event-store';
import { AuthError } from '../auth/errors.js';
import { fieldErrors, ProblemError } from './problem.js';

/** Domain codes that are not conflicts. */
const domainStatus: Record<string, number> = {
  'ticket.not_found': 404,
  'ticket.forbidden': 403,
  'location.outside_communes': 422,
  'category.unknown': 422,
  'staff.forbidden': 403,
  'staff.not_found': 404,
  'consultation.not_found': 404,
  'consultation.forbidden': 403,
  // A consultation that residents could not answer is bad input, not a conflict.
  ...Object.fromEntries(contentRefusals.map((code) => [code, 422])),
  'citizen.forbidden': 403,
  // Who may vote: refused, not a conflict (voting, closing and paper-final ones stay 409).
  'ballot.forbidden': 403,
  'proposal.not_found': 404,
  'proposal.forbidden': 403,
  'proposal.level_too_low': 403,
  'proposal.no_place': 400,
  'proposal.unknown_answer_state': 422,
  'proposal.answer_text_required': 422,
  'proposal.answer_cost_required': 422,
  'proposal.merge_into_itself': 422,
  'project.not_found': 404,
  'project.forbidden': 403,
  'project.unknown_stage': 422,
  'project.duplicate_stage': 422,
  'project.milestone_in_future': 422,
  'project.overspent_without_reason': 422,
  ...Object.fromEntries(voterRefusals.map((code) => [code, 403])),
};

/** The request field a domain refusal is about, so a client shows it beside that field. */
const domainFields: Record<string, string> = {
  // A ballot's answers that its questions do not allow.
  ...Object.fromEntries(answerRefusals.map((code) => [code, 'body.answers'])),
  'proposal.unknown_answer_state': 'body.state',
  'proposal.answer_text_required': 'body.text',
  'proposal.answer_cost_required': 'body.cost',
  'proposal.merge_into_itself': 'body.into',
  'project.unknown_stage': 'body.stage',
  'project.duplicate_stage': 'body.stage',
  'project.milestone_in_future': 'body.reachedOn',
  'project.overspent_without_reason': 'body.reason',
};
const answerCodes = new Set<string>(answerRefusals);

/** Turns anything thrown at the edge into RFC 9457 problem+json; nothing else ever reaches a client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = toProblemError(exception);
    // A restarting database is said once by whoever keeps it, not once per request.
    if (problem.status >= 500 && problem.code !== 'database.unavailable') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toProblem(request.originalUrl)));
  }
}

/** Seconds a client waits before retrying while the database restarts (crash recovery takes a few). */
const DATABASE_RETRY_AFTER_S = 5;

/** PostgreSQL restarting or out of reach: a short wait, not a fault of the request, and a retry is harmless (Idempotency-Key). */
export function databaseUnavailable(): ProblemError {
  return new ProblemError(
    503,
    'database.unavailable',
    `The database is unavailable for a moment (it is restarting); retry in ${DATABASE_RETRY_AFTER_S} seconds. A retry with the same Idempotency-Key is never recorded twice.`,
    [],
    {},
    { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
  );
}

export function toProblemError(exception: unknown): ProblemError {
  if (exception instanceof ProblemError) return exception;
  if (exception instanceof ZodError) {
    return new ProblemError(400, 'validation.failed', 'The request is not valid.', fieldErrors(exception, 'body'));
  }
  if (exception instanceof DomainRuleError) {
    const status = answerCodes.has(exception.code) ? 422 : (domainStatus[exception.code] ?? 409);
    const field = domainFields[exception.code];
    return new ProblemError(status, exception.code, exception.message, field ? [{ path: field, message: exception.message }] : []);
  }
  if (exception instanceof WrongExpectedRevisionError) {
    const current = exception.actual === 'no_stream' ? null : exception.actual;
    return new ProblemError(
      412,
      'revision.stale',
      `Someone changed this ${exception.streamId.split('-')[0]} meanwhile: you acted on revision ${String(exception.expected)}, it is now at ${String(current)}. Reload it and act again.`,
      [{ path: 'header.if-match', message: `current revision is ${String(current)}` }],
      { currentRevision: current },
      current === null ? {} : { ETag: `"${current}"` },
    );
  }
  if (exception instanceof AuthError) return new ProblemError(exception.httpStatus, exception.code, exception.message);
  if (exception instanceof InvalidEventError) {
    return new ProblemError(400, 'validation.failed', exception.message);
  }
  const bodyParser = exception as { type?: string; status?: number; limit?: number };
  if (bodyParser?.type === 'entity.parse.failed') {
    return new ProblemError(400, 'body.malformed_json', 'The request body is not valid JSON.', [{ path: 'body', message: 'malformed JSON' }]);
  }
  if (bodyParser?.type === 'entity.too.large') {
    return new ProblemError(413, 'body.too_large', `The request body is larger than the ${bodyParser.limit ?? ''} bytes accepted.`, [{ path: 'body', message: 'too large' }]);
  }
  if (bodyParser?.type === 'encoding.unsupported' || bodyParser?.type === 'charset.unsupported') {
    return new ProblemError(415, 'body.unsupported_encoding', 'The request body encoding is not supported.');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = status === 404 ? 'route.not_found' : `http.${status}`;
    return new ProblemError(status, code, exception.message);
  }
  if (isDatabaseUnavailable(exception)) return databaseUnavailable();
  return new ProblemError(500, 'internal', 'Something went wrong on the server. Nothing was recorded; please retry.');
}
