import { answerRefusals, contentRefusals, voterRefusals } from '@palabre/domain';
import { type ApiFeature, bearer, fileResponse, headers, invalid, jsonBody, jsonResponse, pathParam, problems, queryParams, responseHeaders, signedIn, staffOnly } from '../openapi/describe.js';
import {
  ballotAcceptedSchema,
  ballotRequestSchema,
  cancelConsultationSchema,
  consultationIdSchema,
  consultationListQuery,
  consultationListSchema,
  consultationResultsSchema,
  consultationSchema,
  createConsultationSchema,
  createdSchema,
  paperBallotRequestSchema,
  pollingTablesSchema,
  receiptSchema,
  tallySheetAcceptedSchema,
  tallySheetRequestSchema,
  reviseConsultationSchema,
  transitionedSchema,
} from './requests.js';

const ballotRefused = {
  403: ['ballot.forbidden', ...voterRefusals],
  404: ['consultation.not_found'],
  409: ['consultation.not_open', 'consultation.closed', 'consultation.cancelled', 'ballot.paper_final', 'ballot.concurrent'],
  422: [...answerRefusals],
  428: ['idempotency_key.missing'],
};

const idParam = pathParam('id', consultationIdSchema, 'Consultation id');

const transition = (operationId: string, summary: string, refusals: string[], body: ReturnType<typeof jsonBody> = jsonBody({ type: 'object', additionalProperties: false }, false)) => ({
  post: {
    tags: ['consultations'],
    operationId,
    summary,
    security: bearer,
    parameters: [idParam, headers.ifMatch(true, 'consultation'), headers.correlationId],
    requestBody: body,
    responses: {
      '200': jsonResponse('Done (or already so)', transitionedSchema, responseHeaders.etag),
      ...problems(staffOnly, invalid(), { 404: ['consultation.not_found'], 409: refusals, 412: ['revision.stale'], 428: ['if_match.missing'] }),
    },
  },
});

export const consultationsApi: ApiFeature = {
  tag: { name: 'consultations', description: 'A commune asks its residents: draft, open, close; ballots and results follow' },
  paths: {
    '/api/consultations': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_list',
        summary: "Consultations residents may see, newest first (and the commune's drafts for its staff)",
        security: bearer,
        parameters: queryParams(consultationListQuery),
        responses: { '200': jsonResponse('Consultations', consultationListSchema), ...problems(signedIn, invalid()) },
      },
      post: {
        tags: ['consultations'],
        operationId: 'consultation_create',
        summary: 'Draft a consultation (commune admins and dispatchers); a retry with the same Idempotency-Key answers the same id',
        security: bearer,
        parameters: [headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(createConsultationSchema),
        responses: {
          '201': jsonResponse('Drafted', createdSchema, { ...responseHeaders.etag, ...responseHeaders.location }),
          ...problems(staffOnly, invalid('media.not_found'), { 403: ['consultation.forbidden'], 409: ['consultation.already_exists'], 422: [...contentRefusals], 428: ['idempotency_key.missing'] }),
        },
      },
    },
    '/api/consultations/{id}/open': transition('consultation_open', 'Open it for votes (from its opening time, before its closing time)', ['consultation.closed', 'consultation.too_early', 'consultation.schedule_passed', 'consultation.cancelled']),
    '/api/consultations/{id}/close': transition('consultation_close', 'Close it by hand before its closing time', ['consultation.not_open', 'consultation.cancelled']),
    '/api/consultations/{id}/cancel': transition('consultation_cancel', 'Cancel it before it closes, saying why (its ballots are then never counted)', ['consultation.closed'], jsonBody(cancelConsultationSchema)),
    '/api/consultations/{id}/publish': transition('consultation_publish', 'Publish the results of a closed consultation', ['consultation.not_closed', 'consultation.cancelled']),
    '/api/consultations/{id}/ballots': {
      post: {
        tags: ['consultations'],
        operationId: 'ballot_cast',
        summary: 'Vote (residents, in their own name): a later ballot replaces an earlier one until the close; a retry with the same Idempotency-Key answers the same receipt',
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(ballotRequestSchema),
        responses: { '201': jsonResponse("The ballot's receipt (10 characters to keep)", ballotAcceptedSchema), ...problems(signedIn, invalid('idempotency_key.invalid'), ballotRefused) },
      },
      get: {
        tags: ['consultations'],
        operationId: 'ballot_list_refused',
        summary: 'Always refused: nobody, commune staff included, reads who voted what',
        security: bearer,
        parameters: [idParam],
        responses: problems(signedIn, invalid(), { 403: ['ballot.secret'] }),
      },
    },
    '/api/consultations/{id}/paper-ballots': {
      post: {
        tags: ['consultations'],
        operationId: 'ballot_record_paper',
        summary: "Record a verified resident's paper ballot at a polling table (commune agents); it is final",
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(paperBallotRequestSchema),
        responses: { '201': jsonResponse("The ballot's receipt, for the resident", ballotAcceptedSchema), ...problems(staffOnly, invalid('idempotency_key.invalid'), ballotRefused) },
      },
    },
    '/api/consultations/{id}/tally-sheets': {
      post: {
        tags: ['consultations'],
        operationId: 'consultation_attach_tally_sheet',
        summary: "Close a polling table with photos of its tally sheet and the count written on it (commune agents); evidence, it changes no count",
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(tallySheetRequestSchema),
        responses: {
          '201': jsonResponse('Attached (or already so, for a retried key)', tallySheetAcceptedSchema),
          ...problems(staffOnly, invalid('idempotency_key.invalid', 'media.not_found'), { 404: ['consultation.not_found'], 409: ['consultation.not_open', 'consultation.cancelled'], 428: ['idempotency_key.missing'] }),
        },
      },
    },
    '/api/consultations/{id}/polling-tables': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_polling_tables',
        summary: "Each polling table's paper ballots in the log beside its tally sheets (commune agents and organisers)",
        security: bearer,
        parameters: [idParam],
        responses: { '200': jsonResponse('Polling tables', pollingTablesSchema), ...problems(staffOnly, invalid(), { 404: ['consultation.not_found'] }) },
      },
    },
    '/api/consultations/{id}/results': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_results',
        summary: 'Votes per option, turnout by channel and quartier (cells under 5 voters merged or withheld), with the counting rules',
        security: bearer,
        parameters: [idParam],
        responses: { '200': jsonResponse('The tally', consultationResultsSchema), ...problems(signedIn, invalid(), { 403: ['results.not_yet'], 404: ['consultation.not_found'] }) },
      },
    },
    '/api/receipts/{code}': {
      get: {
        tags: ['consultations'],
        operationId: 'receipt_check',
        summary: 'Check a ballot by its receipt (public): its answers, whether it is counted, and its inclusion proof against the latest signed tree head',
        parameters: [pathParam('code', receiptSchema.shape.receipt, 'The receipt, 10 characters (dashes, spaces and case do not matter)')],
        responses: { '200': jsonResponse('The ballot as the log has it', receiptSchema), ...problems({ 400: ['receipt.malformed'], 404: ['receipt.unknown'] }) },
      },
    },
    '/c/{id}': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_share_page',
        summary: 'The public page of a consultation (plain HTML, French or English by ?lang= or Accept-Language) for a shared link; a draft or unknown id is a 404 page',
        parameters: [idParam, { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['fr', 'en'] } }, { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { '200': fileResponse('The page', ['text/html']), '404': fileResponse('No such public consultation', ['text/html']) },
      },
    },
    '/api/consultations/{id}': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_get',
        summary: "A consultation as residents see it (a draft only for its commune's staff)",
        security: bearer,
        parameters: [idParam],
        responses: { '200': jsonResponse('The consultation', consultationSchema, responseHeaders.etag), ...problems(signedIn, invalid(), { 404: ['consultation.not_found'] }) },
      },
      put: {
        tags: ['consultations'],
        operationId: 'consultation_revise',
        summary: 'Rewrite a draft whole, at the revision edited (only before it opens)',
        security: bearer,
        parameters: [idParam, headers.ifMatch(true, 'consultation'), headers.correlationId],
        requestBody: jsonBody(reviseConsultationSchema),
        responses: {
          '200': jsonResponse('Revised', transitionedSchema, responseHeaders.etag),
          ...problems(staffOnly, invalid('media.not_found'), { 403: ['consultation.forbidden'], 404: ['consultation.not_found'], 409: ['consultation.not_draft'], 412: ['revision.stale'], 422: [...contentRefusals], 428: ['if_match.missing'] }),
        },
      },
    },
  },
};
