import { z } from 'zod';
import { type ApiFeature, fileResponse, jsonResponse } from '../openapi/describe.js';

const check = z.object({ ok: z.boolean(), ms: z.number().int().optional(), error: z.string().optional() }).catchall(z.unknown());
export const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: check, eventStore: check, projections: check });

export const operationsApi: ApiFeature = {
  tag: { name: 'operations', description: 'Health for load balancers, metrics for Prometheus' },
  paths: {
    '/health': {
      get: {
        tags: ['operations'],
        operationId: 'health',
        summary: 'Database, event store and projection lag',
        responses: { '200': jsonResponse('Healthy', healthSchema), '503': jsonResponse('Degraded: a check failed or projections lag more than 30 s', healthSchema) },
      },
    },
    '/metrics': { get: { tags: ['operations'], operationId: 'metrics', summary: 'Prometheus metrics', responses: { '200': fileResponse('Prometheus text exposition format', ['text/plain']) } } },
  },
};
