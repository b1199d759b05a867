import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidImage } from '../src/media/testing/images.js';
import { ticketActions } from '../src/tickets/requests.js';
import { citizen, Client, eventually, type Reply, staff, startTestPalabre, type TestPalabre } from './support.js';

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
let api: TestPalabre;
let document: any;
beforeAll(async () => {
  api = await startTestPalabre();
  document = (await new Client(api.url).get('/openapi.json')).body;
  ajv.addSchema(document, 'openapi.json'); // replies are checked against the document's own schemas, $refs and all
});
afterAll(async () => {
  await api?.close();
});

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Route parameters that take a fixed set of values: the controller refuses any other with 404. */
const enumeratedParams: Record<string, readonly string[]> = { action: ticketActions };

/** `METHOD /path/{param}` for every route Nest registered on Express (Express 5: `app.router.stack`). */
function registeredRoutes(): string[] {
  const express = api.palabre.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const routes: string[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue; // middleware: JSON parser, static apps, Swagger UI assets
    let paths = [layer.route.path];
    for (const [param, values] of Object.entries(enumeratedParams)) {
      paths = paths.flatMap((p) => (p.includes(`:${param}`) ? values.map((v) => p.replace(`:${param}`, v)) : [p]));
    }
    for (const method of Object.keys(layer.route.methods)) {
      for (const path of paths) routes.push(`${method.toUpperCase()} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

const documentedRoutes = (): string[] =>
  Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => methods.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();

/** Every `{ $ref }` in the document, with where it sits. */
function refsOf(node: unknown, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refsOf(v, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsOf(v, `${at}/${k}`)));
}

const resolvePointer = (ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => (node === undefined ? undefined : node[key]), document);


/** The reply's body must match what the document says this operation answers with this status. */
function expectDocumented(method: (typeof methods)[number], path: string, reply: Reply): void {
  const operation = document.paths[path]?.[method];
  expect(operation, `${method} ${path} is documented`).toBeDefined();
  const response = operation.responses[String(reply.status)];
  expect(response, `${method.toUpperCase()} ${path} documents status ${reply.status} (${JSON.stringify(reply.body).slice(0, 300)})`).toBeDefined();
  const type = reply.headers.get('content-type')?.split(';')[0] ?? '';
  const media = response.content?.[type];
  expect(media, `${method.toUpperCase()} ${path} ${reply.status} documents ${type}`).toBeDefined();
  if (!type.endsWith('json')) return;
  const pointer = ['paths', path, method, 'responses', String(reply.status), 'content', type, 'schema'].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const validate = ajv.compile({ $ref: `openapi.json#/${pointer}` });
  expect(validate(reply.body) ? [] : validate.errors, `${method.toUpperCase()} ${path} ${reply.status} matches its schema`).toEqual([]);
  if (response['x-problem-codes']?.length > 0) expect(response['x-problem-codes'], `${path}: the code is documented`).toContain(reply.body.code);
}

describe('/openapi.json', () => {
  it('describes the ticket endpoints with their headers and problems', async () => {
    expect(document.openapi).toMatch(/^3\.1/);
    const report = document.paths['/api/tickets'].post;
    expect(report.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header', required: true });
    expect(report.responses['201'].headers).toHaveProperty('ETag');
    expect(report.responses['201'].headers).toHaveProperty('Location');
    expect(document.paths['/api/tickets/{id}/triage'].post.parameters.find((p: { name: string }) => p.name === 'If-Match')).toMatchObject({ in: 'header', required: true });
    expect(document.paths['/api/tickets/{id}/triage'].post.responses['412']['x-problem-codes']).toEqual(['revision.stale']);
    expect(document.components.schemas.Problem).toBeDefined();
    expect((await fetch(`${api.url}/docs`)).status).toBe(200);
  });

  it('describes every route the server answers, and no route it does not', () => {
    const registered = registeredRoutes();
    const documented = documentedRoutes();
    expect(registered.length).toBeGreaterThan(40);
    expect(registered.filter((r) => !documented.includes(r)), 'answered but not documented').toEqual([]);
    expect(documented.filter((r) => !registered.includes(r)), 'documented but not answered').toEqual([]);
  });

  it('answers what it says: real replies match the documented schemas and problem codes', async () => {
    const anonymous = new Client(api.url);
    const [dispatcher, admin, auditor, resident] = await Promise.all([staff(api, 'dispatcher.soa'), staff(api, 'admin.soa'), staff(api, 'auditor.soa'), citizen(api)]);
    expectDocumented('post', '/api/auth/login', await anonymous.post('/api/auth/login', { username: 'dispatcher.soa', password: api.demoPassword }));
    expectDocumented('post', '/api/auth/login', await anonymous.post('/api/auth/login', { username: 'dispatcher.soa', password: 'wrong password' }));
    expectDocumented('post', '/api/auth/refresh', await new Client(api.url).post('/api/auth/refresh', { refreshToken: resident.refreshToken }));
    for (const path of ['/api/communes', '/api/categories', '/api/config', '/api/audit/public-key', '/api/audit/tree-heads', '/health']) expectDocumented('get', path, await anonymous.get(path));
    expectDocumented('get', '/api/tickets', await anonymous.get('/api/tickets'));

    const filed = await resident.report({ contact: { name: 'Awa Ngono', phone: '677123456' } });
    expectDocumented('post', '/api/tickets', filed);
    expectDocumented('post', '/api/tickets', await resident.report({ location: { lat: 0, lon: 0 } }));
    const id = filed.body.id as string;
    const ticket = await dispatcher.ticketAt(id, filed.body.revision);
    expectDocumented('get', '/api/tickets/{id}', await dispatcher.get(`/api/tickets/${id}`));
    expectDocumented('get', '/api/tickets/{id}', await resident.get(`/api/tickets/${id}`));
    expectDocumented('get', '/api/tickets/{id}', await dispatcher.get(`/api/tickets/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`));
    expectDocumented('get', '/api/tickets/{id}', await dispatcher.get('/api/tickets/TNOTHING'));
    expectDocumented('post', '/api/tickets/{id}/triage', await dispatcher.act(id, 'triage', { priority: 'high' }, ticket.revision));
    expectDocumented('post', '/api/tickets/{id}/triage', await dispatcher.act(id, 'triage', { priority: 'low' }, ticket.revision));
    expectDocumented('post', '/api/tickets/{id}/assign', await dispatcher.act(id, 'assign', { teamId: 'no-such-team' }, ticket.revision + 1));
    expectDocumented('post', '/api/tickets/{id}/start', await dispatcher.act(id, 'start', {}));
    expectDocumented('post', '/api/tickets/{id}/notes', await resident.act(id, 'notes', { text: 'Toujours là', visibility: 'public' }));
    await dispatcher.timelineAt(id, ticket.revision + 1);
    expectDocumented('get', '/api/tickets/{id}/timeline', await dispatcher.get(`/api/tickets/${id}/timeline`));
    expectDocumented('get', '/api/tickets/{id}/timeline', await resident.get(`/api/tickets/${id}/timeline`));
    expectDocumented('get', '/api/tickets/{id}/contact', await dispatcher.request('GET', `/api/tickets/${id}/contact`, { headers: { 'x-access-purpose': 'rappeler la citoyenne' } }));
    expectDocumented('get', '/api/tickets/{id}/contact', await resident.get(`/api/tickets/${id}/contact`));
    for (const path of ['/api/tickets', '/api/me/tickets', '/api/me/confirmations']) expectDocumented('get', path, await resident.get(path));
    expectDocumented('get', '/api/tickets', await dispatcher.get('/api/tickets?status=new,triaged&sort=updatedAt&limit=5'));
    expectDocumented('get', '/api/tickets', await dispatcher.get('/api/tickets?limit=5000'));
    expectDocumented('get', '/api/me/tickets', await dispatcher.get('/api/me/tickets'));
    for (const path of ['/api/stats', '/api/teams', '/api/agents']) expectDocumented('get', path, await dispatcher.get(path));

    expectDocumented('get', '/api/admin/staff', await admin.get('/api/admin/staff'));
    const agent = (await admin.get('/api/admin/staff')).body.items.find((a: { username: string }) => a.username === 'agent.soa');
    expectDocumented('get', '/api/admin/staff/{id}/history', await auditor.get(`/api/admin/staff/${agent.id}/history`));
    expectDocumented('post', '/api/admin/staff/{id}/roles', await admin.post(`/api/admin/staff/${agent.id}/roles`, { role: 'dispatcher', communeId: 'soa' }));
    expectDocumented('post', '/api/admin/staff/{id}/roles/revoke', await admin.post(`/api/admin/staff/${agent.id}/roles/revoke`, { role: 'dispatcher', communeId: 'soa' }));
    expectDocumented('post', '/api/admin/staff/{id}/roles/revoke', await admin.post(`/api/admin/staff/${agent.id}/roles/revoke`, { role: 'dispatcher', communeId: 'soa' }));
    expectDocumented('post', '/api/admin/staff', await admin.post('/api/admin/staff', { username: 'agent.soa', password: 'long enough', communeId: 'soa', role: 'field_agent' }));
    const created = await admin.post('/api/admin/staff', { username: 'agent2.soa', password: 'long enough', communeId: 'soa', role: 'field_agent' });
    expectDocumented('post', '/api/admin/staff', created);
    expectDocumented('post', '/api/admin/staff/{id}/disable', await admin.post(`/api/admin/staff/${created.body.id}/disable`, { reason: 'a quitté la commune' }));
    expectDocumented('post', '/api/admin/staff/{id}/enable', await admin.post(`/api/admin/staff/${created.body.id}/enable`));
    expectDocumented('post', '/api/admin/subjects/{subjectId}/forget', await admin.post('/api/admin/subjects/SNOBODY0000000/forget', { reason: 'demande' }));

    expectDocumented('get', '/api/audit/access-trail', await auditor.get('/api/audit/access-trail'));
    expectDocumented('get', '/api/audit/proofs/consistency', await auditor.get('/api/audit/proofs/consistency?from=1&to=999999999'));
    const head = await eventually(async () => (await auditor.get('/api/audit/tree-heads')).body.latest, 'a signed tree head', 60_000);
    expectDocumented('get', '/api/audit/proofs/inclusion', await auditor.get(`/api/audit/proofs/inclusion?leafIndex=0&treeSize=${head.treeSize}`));
    const started = await auditor.post('/api/audit/exports', { formats: ['jsonl'] });
    expectDocumented('post', '/api/audit/exports', started);
    expectDocumented('get', '/api/audit/exports/{id}', await auditor.get(`/api/audit/exports/${started.body.id}`));
    await eventually(async () => (await auditor.get(`/api/audit/exports/${started.body.id}`)).body.status === 'done', 'the export', 60_000);
    expectDocumented('get', '/api/audit/exports/{id}', await auditor.get(`/api/audit/exports/${started.body.id}`));
    expectDocumented('get', '/api/audit/exports/{id}/files/{name}', await auditor.get(`/api/audit/exports/${started.body.id}/files/manifest.json`));
    expectDocumented('get', '/api/audit/exports/{id}/files/{name}', await auditor.get(`/api/audit/exports/${started.body.id}/files/events.jsonl`));
    expectDocumented('get', '/api/audit/exports/{id}/files/{name}', await auditor.get(`/api/audit/exports/${started.body.id}/files/events.csv`));
    const photo = await resident.upload(await solidImage(320, 240, 'png'), 'bac.png', 'image/png');
    expectDocumented('post', '/api/media', photo);
    expectDocumented('post', '/api/media', await resident.upload(new TextEncoder().encode('not a photo'), 'bac.txt', 'text/plain'));
    expectDocumented('get', '/api/media/{id}', await anonymous.get(photo.body.url));
    expectDocumented('get', '/api/media/{id}/thumb', await anonymous.get(photo.body.thumbnailUrl));
    expectDocumented('get', '/api/media/{id}', await anonymous.get(`/api/media/${'0'.repeat(64)}`));
  }, 120_000); // an export and a signed tree head on a busy machine

  // Last: the official schema's validation holds this process's event loop for seconds, and no request follows it.
  it('is valid OpenAPI 3.1: the official schema, every $ref resolves, every operationId is unique, every schema is JSON Schema 2020-12', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? [], 'OpenAPI 3.1 schema').toEqual([]);
    expect(result.valid).toBe(true);
    expect(refsOf(document).filter(({ ref }) => !ref.startsWith('#/') || resolvePointer(ref) === undefined)).toEqual([]);
    const operations = Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) => methods.flatMap((m) => (item[m] ? [item[m]] : [])));
    const ids = operations.map((o) => o.operationId);
    expect(ids.filter((id) => id === undefined)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'duplicate operationIds').toEqual([]);
    const tags = new Set((document.tags as { name: string }[]).map((t) => t.name));
    expect(operations.flatMap((o: { tags?: string[] }) => o.tags ?? ['(none)']).filter((t) => !tags.has(t)), 'operations in undeclared tags').toEqual([]);
    // Schemas are JSON Schema 2020-12 in OpenAPI 3.1, and the OpenAPI schema does not look inside them: check them against the dialect's meta-schema.
    const schemas = collectSchemas(document);
    expect(schemas.length).toBeGreaterThan(100);
    const all = { $defs: Object.fromEntries(schemas.map(({ at, schema }) => [at, schema])) };
    expect(ajv.validateSchema(all) ? [] : ajv.errors).toEqual([]);
  });
});

/** Every schema of a request, a response or a parameter, and the named ones. */
function collectSchemas(doc: any): { at: string; schema: object }[] {
  const found: { at: string; schema: object }[] = [];
  for (const [name, schema] of Object.entries(doc.components.schemas)) found.push({ at: `#/components/schemas/${name}`, schema: schema as object });
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const m of methods) {
      const op = item[m];
      if (!op) continue;
      for (const p of op.parameters ?? []) found.push({ at: `${m} ${path} parameter ${p.name}`, schema: p.schema });
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) found.push({ at: `${m} ${path} body ${type}`, schema: (media as any).schema });
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        for (const [type, media] of Object.entries(response.content ?? {})) found.push({ at: `${m} ${path} ${status} ${type}`, schema: (media as any).schema });
      }
    }
  }
  return found;
}
