import { z } from 'zod';
import { type ApiFeature, bearer, fileResponse, headers, invalid, jsonBody, jsonResponse, pathParam, problems, queryParams, responseHeaders, signedIn, staffOnly } from '../openapi/describe.js';
import { budgetSchema, commentAcceptedSchema, commentSchema, committeeMemberSchema, createProjectSchema, milestoneSchema, progressSchema, projectCreatedSchema, projectIdSchema, projectListQuery, projectListSchema, projectSchema, stageSchema, suspendSchema } from './requests.js';

const idParam = pathParam('id', projectIdSchema, 'Project id');
const tags = ['projects'];
const common = { 404: ['project.not_found'], 403: ['project.forbidden'], 409: ['project.completed', 'project.suspended'] };
const done = jsonResponse('Done (or already so)', projectCreatedSchema, responseHeaders.etag);

const onSite = (operationId: string, summary: string, body: Parameters<typeof jsonBody>[0], more: Record<number, string[]> = {}) => ({
  post: {
    tags,
    operationId,
    summary,
    security: bearer,
    parameters: [idParam, headers.idempotencyKey(false), headers.correlationId],
    requestBody: jsonBody(body),
    responses: { '200': done, ...problems(staffOnly, invalid('idempotency_key.invalid'), common, more) },
  },
});

const atRevision = (operationId: string, summary: string, body?: Parameters<typeof jsonBody>[0], more: Record<number, string[]> = {}) => ({
  post: {
    tags,
    operationId,
    summary,
    security: bearer,
    parameters: [idParam, headers.ifMatch(true, 'project'), headers.correlationId],
    ...(body ? { requestBody: jsonBody(body) } : {}),
    responses: { '200': done, ...problems(staffOnly, invalid(), common, { 412: ['revision.stale'], 428: ['if_match.missing'] }, more) },
  },
});

export const projectsApi: ApiFeature = {
  tag: { name: 'projects', description: 'Accepted proposals and programme subprojects carried out: stages, milestones with evidence, progress, budget' },
  paths: {
    '/api/projects': {
      get: { tags, operationId: 'project_list', summary: 'Projects, newest first', security: bearer, parameters: queryParams(projectListQuery), responses: { '200': jsonResponse('Projects', projectListSchema), ...problems(signedIn, invalid()) } },
      post: {
        tags,
        operationId: 'project_create',
        summary: 'Create a project from accepted proposals, or a programme’s subproject (commune staff); a retry with the same Idempotency-Key answers the same id',
        security: bearer,
        parameters: [headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(createProjectSchema),
        responses: {
          '201': jsonResponse('Created', projectCreatedSchema, responseHeaders.etag),
          ...problems(staffOnly, invalid('idempotency_key.invalid'), { 403: ['project.forbidden'], 404: ['proposal.not_found'], 409: ['project.proposal_not_accepted', 'project.already_exists'], 428: ['idempotency_key.missing'] }),
        },
      },
    },
    '/api/projects/{id}': {
      get: { tags, operationId: 'project_get', summary: 'A project with its stages, progress, budget and milestones (photos with where they were taken)', security: bearer, parameters: [idParam], responses: { '200': jsonResponse('The project', projectSchema, responseHeaders.etag), ...problems(signedIn, invalid(), { 404: ['project.not_found'] }) } },
    },
    '/api/projects/{id}/milestones': {
      post: {
        tags,
        operationId: 'project_milestone',
        summary: 'A milestone reached on site, with photos; where each photo was taken (its GPS, kept at upload for staff) is its evidence',
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(milestoneSchema),
        responses: { '201': done, ...problems(staffOnly, invalid('idempotency_key.invalid', 'media.not_found'), common, { 422: ['project.milestone_in_future'], 428: ['idempotency_key.missing'] }) },
      },
    },
    '/api/projects/{id}/comments': {
      post: {
        tags,
        operationId: 'project_comment',
        summary: 'A resident comments on a project: a ticket linked to it reaches the staff (placed at the project unless the body says where)',
        security: bearer,
        parameters: [idParam, headers.idempotencyKey(true), headers.correlationId],
        requestBody: jsonBody(commentSchema),
        responses: {
          '201': jsonResponse('The ticket it became', commentAcceptedSchema),
          ...problems(signedIn, invalid('idempotency_key.invalid', 'media.not_found', 'location.outside_communes'), { 403: ['project.forbidden'], 404: ['project.not_found'], 422: ['project.no_place'], 428: ['idempotency_key.missing'] }),
        },
      },
    },
    '/api/projects/{id}/committee': onSite('project_committee', 'Names a village committee member by role: name and phone kept in the vault, the log keeps the role', committeeMemberSchema),
    '/api/projects/{id}/stages': onSite('project_stage', 'The project enters a stage of its programme (forward only)', stageSchema, { 422: ['project.unknown_stage'], 409: ['project.stage_backwards'] }),
    '/api/projects/{id}/progress': onSite('project_progress', 'Progress in percent, as seen on site', progressSchema),
    '/api/projects/{id}/budget': atRevision('project_budget', 'The budget in whole francs CFA: planned, committed, spent; beyond the plan or the commitments, say why', budgetSchema, { 422: ['project.overspent_without_reason'] }),
    '/api/projects/{id}/suspend': atRevision('project_suspend', 'Suspend the project, saying why', suspendSchema),
    '/api/projects/{id}/resume': atRevision('project_resume', 'Resume a suspended project'),
    '/api/projects/{id}/complete': atRevision('project_complete', 'Complete the project: its record closes'),
    '/api/open-data/{file}': {
      get: {
        tags,
        operationId: 'open_data',
        summary: 'Open data, no account: proposals and projects as CSV (RFC 4180, formulas defused) or GeoJSON (proposals at their point, projects at their milestones’ photos); hidden proposals left out, no author named',
        parameters: [
          pathParam('file', z.enum(['proposals.csv', 'proposals.geojson', 'projects.csv', 'projects.geojson']), 'The file'),
          { name: 'communeId', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { '200': fileResponse('The file', ['text/csv', 'application/geo+json']), ...problems(invalid()) },
      },
    },
  },
};
