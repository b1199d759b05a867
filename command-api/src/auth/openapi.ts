import { type ApiFeature, invalid, jsonBody, jsonResponse, problems } from '../openapi/describe.js';
import { citizenSchema, citizenSessionSchema, loginSchema, refreshSchema, sessionSchema, staffSessionSchema } from './requests.js';

export const authApi: ApiFeature = {
  tag: { name: 'auth', description: 'Staff sign-in, anonymous device identities for citizens, token rotation' },
  paths: {
    '/api/auth/login': {
      post: {
        tags: ['auth'],
        operationId: 'auth_login',
        summary: 'Staff sign-in',
        requestBody: jsonBody(loginSchema),
        responses: { '200': jsonResponse('Tokens and the account', staffSessionSchema), ...problems(invalid(), { 401: ['auth.invalid_credentials'], 429: ['rate.limited'] }) },
      },
    },
    '/api/auth/refresh': {
      post: {
        tags: ['auth'],
        operationId: 'auth_refresh',
        summary: 'Rotate a refresh token (a reused one revokes its whole family)',
        requestBody: jsonBody(refreshSchema),
        responses: {
          '200': jsonResponse('New tokens', sessionSchema),
          ...problems(invalid(), { 401: ['auth.refresh_invalid', 'auth.refresh_expired', 'auth.refresh_reused', 'auth.account_inactive'] }),
        },
      },
    },
    '/api/auth/citizen': {
      post: {
        tags: ['auth'],
        operationId: 'auth_citizen',
        summary: 'Anonymous device identity for citizens',
        requestBody: jsonBody(citizenSchema),
        responses: { '200': jsonResponse('Tokens and the citizen id of this device', citizenSessionSchema), ...problems(invalid(), { 429: ['rate.limited'] }) },
      },
    },
  },
};
