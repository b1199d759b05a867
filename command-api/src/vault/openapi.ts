import { type ApiFeature, bearer, headers, invalid, jsonBody, jsonResponse, pathParam, problems, staffOnly } from '../openapi/describe.js';
import { forgetSchema, forgottenSchema, subjectIdSchema } from './requests.js';

export const erasureApi: ApiFeature = {
  tag: { name: 'erasure', description: 'The right to be forgotten: the vault key of a person is destroyed, the log records that it happened' },
  paths: {
    '/api/admin/subjects/{subjectId}/forget': {
      post: {
        tags: ['erasure'],
        operationId: 'subject_forget',
        summary: "Forget a reporter's personal data (admins; a commune admin only their commune's reporters)",
        description: 'Irreversible. Forgetting someone again answers the same and is recorded once. Every proof of the log still verifies: the log never held the data.',
        security: bearer,
        parameters: [pathParam('subjectId', subjectIdSchema, 'Vault subject id (a ticket\'s contact)'), headers.correlationId],
        requestBody: jsonBody(forgetSchema),
        responses: { '200': jsonResponse('Forgotten', forgottenSchema), ...problems(staffOnly, invalid(), { 404: ['subject.not_found'] }) },
      },
    },
  },
};
