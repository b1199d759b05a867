import { idSchema } from '@palabre/domain';
import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonSchema, jsonResponse, pathParam, type PathItems, problems, queryParams, ref, responseHeaders, signedIn, staffOnly } from '../openapi/describe.js';
import { accessPurposeSchema, actionRequestSchemas, actionResponseSchema, asOfSchema, citizenActions, createdResponseSchema, listQuerySchema, reportRequestSchema, statsQuerySchema, type TicketAction, ticketActions } from './requests.js';
import { confirmationsSchema, contactViewSchema, statsSchema, ticketViewSchema, timelineSchema } from './responses.js';

const id = pathParam('id', idSchema, 'Ticket id');
const ticket = ref('Ticket');
const tickets = (more: Record<string, unknown> = {}) => ({
  type: 'object',
  required: ['items', 'total', ...Object.keys(more)],
  additionalProperties: false,
  properties: { items: { type: 'array', items: ticket }, total: { type: 'integer' }, ...more },
});
const notFound = { 404: ['ticket.not_found'] };
const rateLimited = { 429: ['rate.limited'] };

/** The decider's refusals (409) and the edge's reference checks (400), by action. */
const unfinished = ['ticket.closed', 'ticket.rejected', 'ticket.duplicate'];
const open = [...unfinished, 'ticket.resolved'];
const actionRules: Record<TicketAction, readonly string[]> = {
  confirm: ['ticket.own_report', ...unfinished],
  triage: open,
  assign: open,
  start: [...open, 'ticket.not_assigned'],
  notes: [],
  resolve: [...open, 'ticket.not_assigned'],
  'confirm-resolution': ['ticket.not_reporter', ...unfinished, 'ticket.not_resolved'],
  dispute: ['ticket.not_reporter', ...unfinished, 'ticket.not_resolved', 'ticket.dispute_window_closed'],
  close: [...unfinished, 'ticket.not_resolved'],
  reject: open,
  'mark-duplicate': ['ticket.duplicate_of_itself', ...open, 'duplicate.original_is_duplicate'],
};
const referenceChecks: Partial<Record<TicketAction, readonly string[]>> = { resolve: ['media.not_found'], assign: ['team.unknown', 'agent.unknown'], 'mark-duplicate': ['duplicate.original_not_found'] };

const actionPaths: PathItems = Object.fromEntries(
  ticketActions.map((action) => {
    const citizen = citizenActions.includes(action);
    return [
      `/api/tickets/{id}/${action}`,
      {
        post: {
          tags: ['tickets'],
          operationId: `ticket_${action.replace(/-/g, '_')}`,
          summary: `Ticket action: ${action}`,
          description: citizen
            ? 'A citizen action from a phone: If-Match optional (without it the decider decides again on the current state).'
            : action === 'notes'
              ? 'Staff send If-Match; a citizen commenting on a report they filed or confirmed may omit it.'
              : 'Staff act on the revision they saw: If-Match is required.',
          security: bearer,
          parameters: [id, headers.ifMatch(!citizen && action !== 'notes', 'ticket'), headers.idempotencyKey(false), headers.correlationId],
          requestBody: jsonBody(actionRequestSchemas[action], false),
          responses: {
            '200': jsonResponse('Done: the events appended; ETag carries the new revision', actionResponseSchema, responseHeaders.etag),
            ...problems(signedIn, invalid('if_match.invalid', 'idempotency_key.invalid', ...(referenceChecks[action] ?? [])), { 403: ['ticket.forbidden'], 404: ['ticket.not_found'], 412: ['revision.stale'] }, actionRules[action].length > 0 ? { 409: actionRules[action] } : {}, citizen ? {} : { 428: ['if_match.missing'] }, rateLimited),
          },
        },
      },
    ];
  }),
);

export const ticketsApi: ApiFeature = {
  tag: { name: 'tickets', description: 'Reports, the actions on them, and the read side (lists, one ticket, its history, KPIs)' },
  paths: {
    '/api/tickets': {
      post: {
        tags: ['tickets'],
        operationId: 'ticket_report',
        summary: 'Report a problem (photo ids from POST /api/media)',
        security: bearer,
        parameters: [headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(reportRequestSchema),
        responses: {
          '201': jsonResponse('Filed; ETag carries the revision, Location the ticket', createdResponseSchema, { ...responseHeaders.etag, ...responseHeaders.location }),
          ...problems(signedIn, invalid('idempotency_key.invalid', 'category.unknown', 'subcategory.unknown', 'media.not_found', 'location.outside_communes'), { 403: ['ticket.forbidden'], 409: ['ticket.already_reported'], 413: ['body.too_large'], 428: ['idempotency_key.missing'] }, rateLimited),
        },
      },
      get: {
        tags: ['tickets'],
        operationId: 'tickets_list',
        summary: 'List tickets: filters, sort, cursor pagination, total (citizens: public tickets and their own)',
        security: bearer,
        parameters: queryParams(listQuerySchema),
        responses: { '200': jsonResponse('A page of tickets', tickets({ nextCursor: { type: ['string', 'null'] } })), ...problems(signedIn, invalid('cursor.invalid')) },
      },
    },
    '/api/tickets/{id}': {
      get: {
        tags: ['tickets'],
        operationId: 'ticket_get',
        summary: 'One ticket; ?asOf for its past state (replayed from its stream)',
        description: 'Staff reading a confidential ticket are recorded in the access trail (purpose from X-Access-Purpose).',
        security: bearer,
        parameters: [id, { name: 'asOf', in: 'query', required: false, schema: ref('Instant') }, { name: 'X-Access-Purpose', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          '200': jsonResponse('The ticket; ETag = revision (without asOf), Cache-Control private (with asOf)', ticket, responseHeaders.etag),
          ...problems(signedIn, invalid(), notFound),
        },
      },
    },
    '/api/tickets/{id}/timeline': {
      get: {
        tags: ['tickets'],
        operationId: 'ticket_timeline',
        summary: 'History from events (citizens: public rows without actors)',
        security: bearer,
        parameters: [id, { name: 'X-Access-Purpose', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { '200': jsonResponse('Timeline lines in stream order, and the revision the history has reached', timelineSchema), ...problems(signedIn, invalid(), notFound) },
      },
    },
    '/api/tickets/{id}/contact': {
      get: {
        tags: ['tickets'],
        operationId: 'ticket_contact',
        summary: "The reporter's contact details, for the follow-up they asked for",
        description: 'Admins, dispatchers and field agents; each read is recorded in the access trail with its purpose. Anonymous and confidential reporters are never shown.',
        security: bearer,
        parameters: [id, { name: 'X-Access-Purpose', in: 'header', required: true, schema: jsonSchema(accessPurposeSchema), description: 'Why you need the contact' }],
        responses: { '200': jsonResponse('The contact, or that it was erased', contactViewSchema), ...problems(staffOnly, invalid(), { 403: ['contact.withheld'], 404: ['ticket.not_found', 'contact.none'] }) },
      },
    },
    '/api/me/tickets': {
      get: { tags: ['tickets'], operationId: 'my_tickets', summary: "A citizen's own reports (up to 200, latest first)", security: bearer, responses: { '200': jsonResponse('My reports', tickets()), ...problems(staffOnly) } },
    },
    '/api/me/confirmations': {
      get: { tags: ['tickets'], operationId: 'my_confirmations', summary: 'The problems a citizen said "me too" to, newest first', security: bearer, responses: { '200': jsonResponse('My confirmations', confirmationsSchema), ...problems(staffOnly) } },
    },
    '/api/stats': {
      get: {
        tags: ['tickets'],
        operationId: 'commune_stats',
        summary: "A commune's KPIs per day, category and quartier (staff)",
        security: bearer,
        parameters: queryParams(statsQuerySchema),
        responses: { '200': jsonResponse('Figures of the period', statsSchema), ...problems(staffOnly, invalid()) },
      },
    },
    ...actionPaths,
  },
  schemas: { Ticket: jsonSchema(ticketViewSchema, 'output'), Instant: jsonSchema(asOfSchema) },
};
