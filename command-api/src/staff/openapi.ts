import { idSchema } from '@palabre/domain';
import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, pathParam, problems, staffOnly } from '../openapi/describe.js';
import { createSchema, disableSchema, grantSchema, staffAccountSchema, staffHistorySchema, staffListSchema, staffOutcomeSchema } from './requests.js';

const id = pathParam('id', idSchema, 'Staff account id');
const lifecycle = (operationId: string, summary: string, body: Parameters<typeof jsonBody>[0] | null, refusals: string[]) => ({
  post: {
    tags: ['staff'],
    operationId,
    summary,
    description: 'Admins of the account’s commune (national admins for national accounts). Appended as an event; no If-Match: the decider decides on the current state.',
    security: bearer,
    parameters: [id, headers.idempotencyKey(false), headers.correlationId],
    ...(body ? { requestBody: jsonBody(body) } : {}),
    responses: {
      '200': jsonResponse('Done (events empty when nothing changed)', staffOutcomeSchema),
      ...problems(staffOnly, invalid('idempotency_key.invalid'), { 403: ['staff.forbidden'], 404: ['staff.not_found'] }, refusals.length > 0 ? { 409: refusals } : {}),
    },
  },
});

export const staffApi: ApiFeature = {
  tag: { name: 'staff', description: 'Event-sourced staff accounts: who could do what, when, stays auditable' },
  paths: {
    '/api/admin/staff': {
      get: { tags: ['staff'], operationId: 'staff_list', summary: 'Staff accounts of the communes you may see (admins, auditors)', security: bearer, responses: { '200': jsonResponse('Accounts', staffListSchema), ...problems(staffOnly) } },
      post: {
        tags: ['staff'],
        operationId: 'staff_create',
        summary: 'Create a staff account with its first role (admins)',
        security: bearer,
        parameters: [headers.idempotencyKey(false), headers.correlationId],
        requestBody: jsonBody(createSchema),
        responses: { '201': jsonResponse('The account', staffAccountSchema), ...problems(staffOnly, invalid('idempotency_key.invalid'), { 403: ['staff.forbidden'], 409: ['auth.username_taken', 'staff.already_exists'] }) },
      },
    },
    '/api/admin/staff/{id}/history': {
      get: {
        tags: ['staff'],
        operationId: 'staff_history',
        summary: "An account's events: creation, grants, revocations, disabling (admins, auditors)",
        security: bearer,
        parameters: [id],
        responses: { '200': jsonResponse('Events in stream order', staffHistorySchema), ...problems(staffOnly, invalid(), { 404: ['staff.not_found'] }) },
      },
    },
    '/api/admin/staff/{id}/roles': lifecycle('staff_grant_role', 'Grant a role in a commune (or nationally)', grantSchema, ['staff.disabled']),
    '/api/admin/staff/{id}/roles/revoke': lifecycle('staff_revoke_role', 'Revoke a role', grantSchema, ['staff.role_not_held']),
    '/api/admin/staff/{id}/disable': lifecycle('staff_disable', 'Disable an account: its refresh tokens are revoked at once', disableSchema, ['staff.self_disable']),
    '/api/admin/staff/{id}/enable': lifecycle('staff_enable', 'Enable a disabled account again', null, []),
  },
};
