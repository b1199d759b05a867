import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, pathParam, problems, staffOnly } from '../openapi/describe.js';
import { revokeRequestSchema, censusStatusSchema, citizenIdSchema, citizenMeSchema, codeRequestSchema, residenceRequestSchema, verifiedInPersonSchema, identityConflictsSchema, verificationRequestSchema, codeSentSchema, developmentSmsSchema, phoneRequestSchema, phoneVerifiedSchema } from './requests.js';

const citizenOnly = staffOnly;
const unavailable = { 502: ['sms.refused'], 503: ['sms.unavailable'] };

export const citizensApi: ApiFeature = {
  tag: { name: 'citizens', description: "A citizen's identity level (device, phone, in person) and how to raise it" },
  paths: {
    '/api/citizens/me': {
      get: {
        tags: ['citizens'],
        operationId: 'citizen_me',
        summary: 'The calling citizen and the identity level the commune can trust',
        security: bearer,
        responses: { '200': jsonResponse('The citizen', citizenMeSchema), ...problems(citizenOnly) },
      },
    },
    '/api/citizens/{citizenId}/verifications/revoke': {
      post: {
        tags: ['citizens'],
        operationId: 'citizen_revoke_in_person',
        summary: "Withdraw a resident's in-person check (commune admins), saying why; the document is then free to verify its holder",
        security: bearer,
        parameters: [pathParam('citizenId', citizenIdSchema, "The resident's id"), headers.correlationId],
        requestBody: jsonBody(revokeRequestSchema),
        responses: { '200': jsonResponse('Withdrawn', citizenMeSchema), ...problems(staffOnly, invalid(), { 403: ['citizen.forbidden'], 404: ['citizen.not_found'], 409: ['citizen.not_verified_in_person'] }) },
      },
    },
    '/api/communes/{communeId}/census': {
      put: {
        tags: ['citizens'],
        operationId: 'census_import',
        summary: "Replace the commune's census list (its admins): text/csv, one resident per line, documentNumber,quartierId; only keyed digests are kept",
        security: bearer,
        parameters: [pathParam('communeId')],
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string', example: 'documentNumber,quartierId\nCM123456,soa-centre' } } } },
        responses: {
          '200': jsonResponse('Imported', censusStatusSchema),
          ...problems(staffOnly, { 400: ['census.bad_document', 'census.unknown_quartier', 'census.empty'], 404: ['commune.not_found'], 413: ['census.too_large', 'body.too_large'], 415: ['census.not_csv'] }),
        },
      },
      get: {
        tags: ['citizens'],
        operationId: 'census_status',
        summary: "How many residents the commune's census list holds, and when it was imported",
        security: bearer,
        parameters: [pathParam('communeId')],
        responses: { '200': jsonResponse('The list', censusStatusSchema), ...problems(staffOnly) },
      },
    },
    '/api/citizens/me/residence': {
      put: {
        tags: ['citizens'],
        operationId: 'citizen_declare_residence',
        summary: 'Say where I live (commune, quartier): believed at the phone level, checked by an agent in person',
        security: bearer,
        parameters: [headers.correlationId],
        requestBody: jsonBody(residenceRequestSchema),
        responses: { '200': jsonResponse('The citizen, with the residence', citizenMeSchema), ...problems(citizenOnly, invalid('citizen.unknown_commune', 'citizen.unknown_quartier')) },
      },
    },
    '/api/citizens/me/phone': {
      post: {
        tags: ['citizens'],
        operationId: 'citizen_phone_send_code',
        summary: 'Send a one-time code by SMS to a number (one a minute and three an hour per number, five an hour per device)',
        security: bearer,
        requestBody: jsonBody(phoneRequestSchema),
        responses: {
          '202': jsonResponse('The code is on its way; it lives 10 minutes', codeSentSchema),
          ...problems(citizenOnly, invalid('phone.not_a_number', 'phone.wrong_length', 'phone.not_mobile', 'phone.unknown_country'), { 429: ['phone.code_too_soon', 'phone.too_many_codes'] }, unavailable),
        },
      },
    },
    '/api/citizens/me/phone/verify': {
      post: {
        tags: ['citizens'],
        operationId: 'citizen_phone_verify',
        summary: 'Type back the code: the number is verified, or this device becomes the citizen who verified it before (with a new session)',
        security: bearer,
        parameters: [headers.correlationId],
        requestBody: jsonBody(codeRequestSchema),
        responses: {
          '200': jsonResponse('Verified; `recovered` with a session when the number was another device’s', phoneVerifiedSchema),
          ...problems(citizenOnly, invalid('phone.code_malformed', 'phone.code_wrong', 'phone.code_expired'), { 409: ['phone.no_code', 'phone.code_used'], 429: ['phone.too_many_attempts'] }),
        },
      },
    },
    '/api/citizens/{citizenId}/verifications': {
      post: {
        tags: ['citizens'],
        operationId: 'citizen_verify_in_person',
        summary: "An agent of the commune checked the resident's identity document: the level becomes in_person",
        description: 'The document number is kept only as an HMAC under a key of the commune. The same document for a second resident is refused and listed for an admin.',
        security: bearer,
        parameters: [pathParam('citizenId', citizenIdSchema, "The resident's citizen id (their app shows it as a QR code)"), headers.correlationId],
        requestBody: jsonBody(verificationRequestSchema),
        responses: {
          '201': jsonResponse('Verified; censusMatch: the document is on the commune\'s census list', verifiedInPersonSchema),
          ...problems(staffOnly, invalid('citizen.unknown_quartier', 'citizen.bad_birth_date'), { 403: ['citizen.commune_required'], 409: ['citizen.document_in_use', 'citizen.other_document'] }),
        },
      },
    },
    '/api/citizens/identity-conflicts': {
      get: {
        tags: ['citizens'],
        operationId: 'citizen_identity_conflicts',
        summary: 'Identity documents shown for a second resident (admins of the commune, or national)',
        security: bearer,
        responses: { '200': jsonResponse('Newest first, at most 500', identityConflictsSchema), ...problems(staffOnly) },
      },
    },
    '/api/sms/development': {
      get: {
        tags: ['citizens'],
        operationId: 'sms_development_messages',
        summary: 'Messages the development SMS gateway kept instead of sending them (admins and dispatchers; 404 when a real gateway is set)',
        security: bearer,
        responses: { '200': jsonResponse('Newest first, the last 200', developmentSmsSchema), ...problems(staffOnly, { 404: ['sms.not_development'] }) },
      },
    },
  },
};
