import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, pathParam, problems, queryParams, responseHeaders, signedIn, staffOnly } from '../openapi/describe.js';
import {
  answerRequestSchema,
  createProposalSchema,
  editProposalSchema,
  flagSchema,
  mergeSchema,
  moderationSchema,
  proposalCreatedSchema,
  proposalIdSchema,
  proposalListQuery,
  proposalListSchema,
  proposalSchema,
  supportAcceptedSchema,
} from './requests.js';

const idParam = pathParam('id', proposalIdSchema, 'Proposal id');
const tags = ['proposals'];
const notFound = { 404: ['proposal.not_found'] };
const closed = ['proposal.withdrawn', 'proposal.merged', 'proposal.answered'];

const staffAction = (operationId: string, summary: string, body: Parameters<typeof jsonBody>[0], refusals: string[]) => ({
  post: {
    tags,
    operationId,
    summary,
    security: bearer,
    parameters: [idParam, headers.ifMatch(true, 'proposal'), headers.correlationId],
    requestBody: jsonBody(body),
    responses: {
      '200': jsonResponse('Done (or already so)', proposalCreatedSchema, responseHeaders.etag),
      ...problems(staffOnly, invalid(), notFound, { 403: ['proposal.forbidden'], 409: refusals, 412: ['revision.stale'], 428: ['if_match.missing'] }),
    },
  },
});

export const proposalsApi: ApiFeature = {
  tag: { name: 'proposals', description: 'Residents propose and support; the commune moderates and answers in public' },
  paths: {
    '/api/proposals': {
      get: {
        tags,
        operationId: 'proposal_list',
        summary: 'Proposals by commune, quartier, state, category; newest or most supported first, nearest to a point, or in a map box',
        security: bearer,
        parameters: queryParams(proposalListQuery),
        responses: { '200': jsonResponse('Proposals', proposalListSchema), ...problems(signedIn, invalid()) },
      },
      post: {
        tags,
        operationId: 'proposal_create',
        summary: 'A resident proposes (phone-verified); a retry with the same Idempotency-Key answers the same id',
        security: bearer,
        parameters: [headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(createProposalSchema),
        responses: {
          '201': jsonResponse('Proposed', proposalCreatedSchema, responseHeaders.etag),
          ...problems(signedIn, invalid('idempotency_key.invalid', 'media.not_found', 'proposal.unknown_quartier'), {
            403: ['proposal.forbidden', 'proposal.level_too_low'],
            422: ['location.outside_communes'],
            428: ['idempotency_key.missing'],
          }),
        },
      },
    },
    '/api/proposals/{id}': {
      get: {
        tags,
        operationId: 'proposal_get',
        summary: 'A proposal with its supports, state, answer and answer deadline (ETag: its revision)',
        security: bearer,
        parameters: [idParam],
        responses: { '200': jsonResponse('The proposal', proposalSchema, responseHeaders.etag), ...problems(signedIn, invalid(), notFound) },
      },
      put: {
        tags,
        operationId: 'proposal_edit',
        summary: 'Its author rewrites it whole, at the revision edited, until its first support',
        security: bearer,
        parameters: [idParam, headers.ifMatch(true, 'proposal'), headers.correlationId],
        requestBody: jsonBody(editProposalSchema),
        responses: {
          '200': jsonResponse('Edited', proposalCreatedSchema, responseHeaders.etag),
          ...problems(signedIn, invalid('media.not_found', 'proposal.unknown_quartier'), notFound, {
            403: ['proposal.forbidden'],
            409: ['proposal.supported', ...closed],
            412: ['revision.stale'],
            422: ['location.outside_communes'],
            428: ['if_match.missing'],
          }),
        },
      },
    },
    '/api/proposals/{id}/supports': {
      post: {
        tags,
        operationId: 'proposal_support',
        summary: 'A resident supports it, once (in a stream of its own: no If-Match); with an Idempotency-Key a retry answers as the first time',
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(false), headers.correlationId],
        responses: {
          '201': jsonResponse('Supporting', supportAcceptedSchema),
          ...problems(signedIn, invalid('idempotency_key.invalid'), notFound, { 403: ['proposal.forbidden', 'proposal.level_too_low'], 409: ['proposal.already_supported', 'proposal.own', 'proposal.hidden', ...closed] }),
        },
      },
    },
    '/api/proposals/{id}/supports/me': {
      delete: {
        tags,
        operationId: 'proposal_unsupport',
        summary: 'The resident withdraws their support',
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(false), headers.correlationId],
        responses: { '200': jsonResponse('Not supporting', supportAcceptedSchema), ...problems(signedIn, invalid('idempotency_key.invalid'), notFound, { 403: ['proposal.forbidden'], 409: ['proposal.not_supported', ...closed] }) },
      },
    },
    '/api/proposals/{id}/flags': {
      post: {
        tags,
        operationId: 'proposal_flag',
        summary: 'A resident flags it (offensive, spam, personal data, off topic), once; at the policy’s count it is hidden pending review',
        security: bearer,
        parameters: [idParam, headers.correlationId],
        requestBody: jsonBody(flagSchema),
        responses: { '201': jsonResponse('Flagged', { type: 'object', properties: { id: { type: 'string' }, hidden: { type: 'boolean' } }, required: ['id', 'hidden'] }), ...problems(signedIn, invalid(), notFound, { 403: ['proposal.forbidden'], 409: ['proposal.already_flagged'] }) },
      },
    },
    '/api/proposals/{id}/hide': staffAction('proposal_hide', 'A moderator hides it, saying why', moderationSchema, ['proposal.not_published']),
    '/api/proposals/{id}/restore': staffAction('proposal_restore', 'A moderator restores a hidden one, saying why', moderationSchema, ['proposal.not_hidden']),
    '/api/proposals/{id}/answer': {
      post: {
        ...staffAction('proposal_answer', 'The commune answers in public with one of its answer states, why, and its cost', answerRequestSchema, ['proposal.answered', 'proposal.withdrawn', 'proposal.merged']).post,
        responses: {
          '200': jsonResponse('Answered', proposalCreatedSchema, responseHeaders.etag),
          ...problems(staffOnly, invalid(), notFound, {
            403: ['proposal.forbidden'],
            409: ['proposal.answered', 'proposal.withdrawn', 'proposal.merged'],
            412: ['revision.stale'],
            422: ['proposal.unknown_answer_state', 'proposal.answer_text_required', 'proposal.answer_cost_required'],
            428: ['if_match.missing'],
          }),
        },
      },
    },
    '/api/proposals/{id}/merge': staffAction('proposal_merge', 'A moderator merges a duplicate into another proposal: its supporters count there, each once', mergeSchema, [...closed]),
    '/api/proposals/{id}/withdraw': {
      post: {
        tags,
        operationId: 'proposal_withdraw',
        summary: 'Its author withdraws it',
        security: bearer,
        parameters: [idParam, headers.correlationId],
        responses: { '200': jsonResponse('Withdrawn', proposalCreatedSchema), ...problems(signedIn, invalid(), notFound, { 403: ['proposal.forbidden'], 409: closed }) },
      },
    },
  },
};
