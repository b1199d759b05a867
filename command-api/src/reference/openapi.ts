import { z } from 'zod';
import { idSchema } from '@palabre/domain';
import { type ApiFeature, bearer, invalid, jsonResponse, jsonSchema, problems, staffOnly } from '../openapi/describe.js';

const labels = z.object({ fr: z.string(), en: z.string() });
const geometry = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }).describe('GeoJSON geometry');

export const communesSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    division: z.string(),
    timeZone: z.string(),
    boundary: geometry,
    quartiers: z.array(z.object({ id: z.string(), name: z.string(), boundary: geometry })),
    proposalPolicy: z.object({
      supportThreshold: z.number().int().describe('Supports after which the commune must answer'),
      answerDays: z.number().int().describe('Days to answer from then'),
      flagsToHide: z.number().int(),
      supportLevel: z.string().describe('Identity level to propose and support'),
      answerStates: z.array(z.object({ id: z.string(), labels, final: z.boolean(), needsText: z.boolean(), needsCost: z.boolean() })),
    }),
  }),
);
export const categoriesSchema = z.array(z.object({ id: z.string(), labels, icon: z.string(), subcategories: z.array(z.object({ id: z.string(), labels })) }));
export const clientConfigSchema = z.object({ mapStyleUrl: z.string().nullable().describe('A tile server style, or null for the local one'), ticketOffsets: z.boolean() });
export const teamsSchema = z.array(z.object({ id: z.string(), communeId: z.string(), name: z.string(), categories: z.array(z.string()) }));
export const agentsSchema = z.array(z.object({ id: z.string().nullable(), username: z.string().nullable(), communeId: z.string().nullable() }));

const commune = { name: 'communeId', in: 'query', required: false, schema: jsonSchema(idSchema), description: 'Only this commune (default: every commune you may see)' };
const open = (operationId: string, summary: string, schema: z.ZodType) => ({ get: { tags: ['reference'], operationId, summary, responses: { '200': jsonResponse(summary, schema) } } });
const staffLookup = (operationId: string, summary: string, schema: z.ZodType) => ({
  get: { tags: ['reference'], operationId, summary, security: bearer, parameters: [commune], responses: { '200': jsonResponse(summary, schema), ...problems(staffOnly, invalid()) } },
});

export const referenceApi: ApiFeature = {
  tag: { name: 'reference', description: 'Public reference data and the staff look-ups the console needs' },
  paths: {
    '/api/communes': open('communes_list', 'Communes with their quartiers and GeoJSON boundaries', communesSchema),
    '/api/categories': open('categories_list', 'Categories and subcategories in French and English', categoriesSchema),
    '/api/config': open('client_config', 'Client settings that come from the deployment', clientConfigSchema),
    '/api/teams': staffLookup('teams_list', 'Teams of the communes you may see', teamsSchema),
    '/api/agents': staffLookup('agents_list', 'Active field agents of the communes you may see', agentsSchema),
  },
};
