import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, problems, staffOnly } from '../openapi/describe.js';
import { citizenMeSchema, codeRequestSchema, codeSentSchema, developmentSmsSchema, phoneRequestSchema, phoneVerifiedSchema } from './requests.js';

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
