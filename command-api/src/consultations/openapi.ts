import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, pathParam, problems, responseHeaders, signedIn, staffOnly } from '../openapi/describe.js';
import { cancelConsultationSchema, consultationIdSchema, consultationSchema, createConsultationSchema, createdSchema, transitionedSchema } from './requests.js';

const contentRefused = ['consultation.bad_schedule', 'consultation.duplicate_question', 'consultation.duplicate_option', 'consultation.bad_max_choices', 'consultation.missing_cost'];
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
      post: {
        tags: ['consultations'],
        operationId: 'consultation_create',
        summary: 'Draft a consultation (commune admins and dispatchers); a retry with the same Idempotency-Key answers the same id',
        security: bearer,
        parameters: [headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(createConsultationSchema),
        responses: {
          '201': jsonResponse('Drafted', createdSchema, { ...responseHeaders.etag, ...responseHeaders.location }),
          ...problems(staffOnly, invalid(), { 403: ['consultation.forbidden'], 409: ['consultation.already_exists'], 422: contentRefused, 428: ['idempotency_key.missing'] }),
        },
      },
    },
    '/api/consultations/{id}/open': transition('consultation_open', 'Open it for votes (from its opening time, before its closing time)', ['consultation.closed', 'consultation.too_early', 'consultation.schedule_passed', 'consultation.cancelled']),
    '/api/consultations/{id}/close': transition('consultation_close', 'Close it by hand before its closing time', ['consultation.not_open', 'consultation.cancelled']),
    '/api/consultations/{id}/cancel': transition('consultation_cancel', 'Cancel it before it closes, saying why (its ballots are then never counted)', ['consultation.closed'], jsonBody(cancelConsultationSchema)),
    '/api/consultations/{id}/publish': transition('consultation_publish', 'Publish the results of a closed consultation', ['consultation.not_closed', 'consultation.cancelled']),
    '/api/consultations/{id}': {
      get: {
        tags: ['consultations'],
        operationId: 'consultation_get',
        summary: "A consultation as residents see it (a draft only for its commune's staff)",
        security: bearer,
        parameters: [idParam],
        responses: { '200': jsonResponse('The consultation', consultationSchema, responseHeaders.etag), ...problems(signedIn, invalid(), { 404: ['consultation.not_found'] }) },
      },
    },
  },
};
