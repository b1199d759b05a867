import 'reflect-metadata';
import { mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untar, verifyBundle, verifyConsistency, verifyInclusion } from '@palabre/audit';
import { lastCommitted } from '@palabre/audit/testing/log';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { defaultProjectors, type ProjectorGroup, startProjectors } from '@palabre/projections';
import { Client } from '../../test/support.js';
import { AppModule } from '../app.module.js';
import { Credentials } from '../auth/credentials.js';
import { loadConfig } from '../config.js';
import { type Infrastructure, openInfrastructure } from '../platform/infrastructure.js';
import { ReferenceCatalog } from '../reference/reference-catalog.js';
import { seedDemo } from '../seed/demo-seed.js';
import { AuditLog } from './audit-log.js';
import { ExportJobs } from './export-jobs.js';


let infra: Infrastructure;
let app: INestApplication;
let projectors: ProjectorGroup;
let url: string;
let dataDir: string;
const password = 'palabre-demo-password';
const b = (s: string) => Buffer.from(s, 'base64');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'palabre-audit-api-'));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PALABRE_DATA_DIR: dataDir, PALABRE_DEMO_PASSWORD: password });
  infra = await openInfrastructure(config, { databaseUrl: await createTestDatabase('audit_api') });
  app = await NestFactory.create(AppModule.forRoot(infra), { bodyParser: false, logger: ['error'] });
  app.use(express.json());
  await app.init();
  await seedDemo(infra, app.get(Credentials), { password, tickets: false });
  await app.get(ReferenceCatalog).refresh();
  projectors = startProjectors(infra.store, infra.pool, [...defaultProjectors, app.get(AuditLog).projector], { pollIntervalMs: 20 });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
});

afterAll(async () => {
  await projectors?.stop();
  await app?.close();
  await infra?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const settled = async () => projectors.waitFor(await lastCommitted(infra.pool));

describe('audit API', () => {
  it('publishes the public key and signed tree heads without sign-in; proofs verify against them', async () => {
    const citizen = new Client(url);
    await citizen.asCitizen();
    const filed = await citizen.report();
    expect(filed.status).toBe(201);
    await settled();
    const anonymous = new Client(url);
    const key = await anonymous.get('/api/audit/public-key');
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: app.get(AuditLog).signer.keyId });
    expect(key.body.publicKeyPem).toContain('BEGIN PUBLIC KEY');

    const auditor = await new Client(url).login('auditor.soa', password);
    const job = await auditor.post('/api/audit/exports', { streamTypes: ['ticket'] }); // signs a head over everything so far
    expect(job.status).toBe(202);
    await app.get(ExportJobs).idle();
    const heads = await anonymous.get('/api/audit/tree-heads');
    const latest = heads.body.latest;
    expect(latest.treeSize).toBeGreaterThan(0);

    const [reported] = await infra.store.readStream(`ticket-${filed.body.id}`, { maxCount: 1 });
    expect((await anonymous.get(`/api/audit/proofs/inclusion?eventId=${reported!.metadata.eventId}`)).status).toBe(401);
    const proof = await auditor.get(`/api/audit/proofs/inclusion?eventId=${reported!.metadata.eventId}`);
    expect(proof.status).toBe(200);
    expect(proof.body.treeSize).toBe(latest.treeSize);
    expect(verifyInclusion(proof.body.leafIndex, proof.body.treeSize, b(proof.body.leafHash), proof.body.inclusionProof.map(b), b(latest.rootHash))).toBe(true);

    const first = heads.body.items[0];
    const consistency = await auditor.get(`/api/audit/proofs/consistency?from=${first.treeSize}&to=${latest.treeSize}`);
    expect(verifyConsistency(first.treeSize, latest.treeSize, b(first.rootHash), b(latest.rootHash), consistency.body.consistencyProof.map(b))).toBe(true);
    expect((await auditor.get(`/api/audit/proofs/inclusion?leafIndex=0&treeSize=${latest.treeSize + 1000}`)).body.code).toBe('proof.out_of_range');
  });

  it('runs an export as a job with progress, then hands out a bundle that verifies offline against the published key', async () => {
    const auditor = await new Client(url).login('auditor.soa', password);
    const started = await auditor.post('/api/audit/exports', { from: '2020-01-01', formats: ['jsonl', 'csv', 'geojson'] });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/audit/exports/${started.body.id}`);
    expect(started.body.scope).toMatchObject({ communeId: 'soa', excludedStreamTypes: ['staff'] });
    await app.get(ExportJobs).idle();
    const done = await auditor.get(`/api/audit/exports/${started.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', progress: { percent: 100 } });
    expect(done.body.files.map((f: { name: string }) => f.name)).toContain('events.jsonl');

    const download = await fetch(`${url}${done.body.downloadUrl}`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(download.headers.get('content-type')).toBe('application/x-tar');
    const tar = join(dataDir, 'download.tar');
    writeFileSync(tar, Buffer.from(await download.arrayBuffer()));
    const unpacked = join(dataDir, 'unpacked');
    untar(tar, unpacked);
    const key = (await new Client(url).get('/api/audit/public-key')).body.publicKeyPem;
    const report = await verifyBundle(unpacked, { publicKeyPem: key });
    expect(report.failures).toEqual([]);
    expect(report.events).toBe(done.body.counts.events);

    const csv = await auditor.get(`/api/audit/exports/${started.body.id}/files/events.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body).not.toContain('auditor.soa');
    // Proposals and projects as readable files beside the tickets, listed with their digests.
    expect(done.body.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['proposals.csv', 'proposals.geojson', 'projects.csv', 'projects.geojson']));
    const proposals = await auditor.get(`/api/audit/exports/${started.body.id}/files/proposals.csv`);
    expect(proposals.status).toBe(200);
    expect(proposals.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(proposals.body).toMatch(/^id,commune,quartier,state,category,title,supports,/);
  });

  it('puts proposals and projects in the bundle as the open data shows them (hidden ones too, marked so)', async () => {
    await seedDemo(infra, app.get(Credentials), { password, tickets: true }); // the demo's proposals, supports and Soa's well project
    await settled();
    const auditor = await new Client(url).login('auditor.soa', password);
    const started = await auditor.post('/api/audit/exports', { formats: ['geojson'] });
    await app.get(ExportJobs).idle();
    const file = async (name: string) => (await auditor.get(`/api/audit/exports/${started.body.id}/files/${name}`)).body.features as { id: string; geometry: unknown; properties: Record<string, unknown> }[];
    const open = async (name: string) => (await new Client(url).get(`/api/open-data/${name}?communeId=soa`)).body.features as { id: string; geometry: unknown; properties: Record<string, unknown> }[];
    const shared = (features: { id: string; geometry: unknown; properties: Record<string, unknown> }[], keys: readonly string[]) =>
      features.map((f) => ({ id: f.id, geometry: f.geometry, ...Object.fromEntries(keys.map((k) => [k, f.properties[k]])) })).sort((a, b) => a.id.localeCompare(b.id));
    const proposals = await file('proposals.geojson');
    expect(proposals.length).toBeGreaterThan(0);
    const proposalKeys = ['commune', 'quartier', 'state', 'category', 'title', 'supports'] as const;
    expect(shared(proposals.filter((f) => f.properties.state !== 'hidden'), proposalKeys)).toEqual(shared(await open('proposals.geojson'), proposalKeys));
    const projectKeys = ['project', 'title', 'status', 'percent', 'milestone', 'reachedOn'] as const;
    expect(shared(await file('projects.geojson'), projectKeys)).toEqual(shared(await open('projects.geojson'), projectKeys));
  });

  it('keeps exports to the auditor’s communes, staff names to admins, and leaves each export in the access trail', async () => {
    const auditor = await new Client(url).login('auditor.soa', password);
    expect((await auditor.post('/api/audit/exports', { communeId: 'dschang' })).status).toBe(403);
    expect((await auditor.post('/api/audit/exports', { staffNames: true })).body.code).toBe('audit.staff_names_forbidden');
    expect((await auditor.post('/api/audit/exports', { from: 'yesterday' })).body.code).toBe('validation.failed');
    const dispatcher = await new Client(url).login('dispatcher.soa', password);
    expect((await dispatcher.post('/api/audit/exports', {})).status).toBe(403);
    expect((await dispatcher.get('/api/audit/access-trail')).status).toBe(403);

    const trail = await auditor.get('/api/audit/access-trail');
    expect(trail.status).toBe(200);
    expect(trail.body.communeId).toBe('soa');
    expect(trail.body.items.filter((i: { resource: { kind: string } }) => i.resource.kind === 'export').length).toBeGreaterThanOrEqual(2);
    expect((await auditor.get('/api/audit/access-trail?communeId=dschang')).status).toBe(403);

    const other = await new Client(url).login('auditor.dschang', password);
    expect((await other.get(`/api/audit/exports/${trail.body.items[0].resource.id}`)).status).toBe(404);
  });
});
