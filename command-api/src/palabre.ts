import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { logger, metrics, startTelemetry } from '@palabre/observability';
import { type BatchInfo, defaultProjectors, type ProjectorGroup, startProjectors, startProjectorsInThread } from '@palabre/projections';
import { AppModule } from './app.module.js';
import { AuditLog } from './audit/index.js';
import { Credentials } from './auth/credentials.js';
import type { Config } from './config.js';
import { toProblemError } from './http/problem.filter.js';
import { LiveUpdates } from './live/live-updates.js';
import { swaggerUiDir } from './openapi/docs.controller.js';
import { type Infrastructure, openInfrastructure } from './platform/infrastructure.js';
import { ReferenceCatalog } from './reference/reference-catalog.js';
import { seedDemo, type SeedResult } from './seed/demo-seed.js';
import { scheduleEncryption, startBackupSchedule } from './backup/schedule.js';
import type { ApiProjectorThreadData } from './projection-worker.js';

export interface StartOptions {
  /** A database to use instead of the configured or embedded one (tests). */
  readonly databaseUrl?: string;
  /** Seed demo data (reference data and demo staff always; demo tickets when true). */
  readonly demoTickets?: boolean;
  /** Nest's own logs; quiet in tests. */
  readonly verbose?: boolean;
  /**
   * Where this process's projectors run: `worker`, a worker thread (`npm start`, once compiled),
   * so that their round trips do not queue behind HTTP work in the event loop; or `main`, this
   * thread (the default: tests run from source, where no compiled worker is to be trusted).
   */
  readonly projectorThread?: 'worker' | 'main';
}

export interface Palabre {
  readonly url: string;
  readonly app: INestApplication;
  readonly infra: Infrastructure;
  readonly seed: SeedResult;
  readonly projectors: ProjectorGroup | null;
  close(): Promise<void>;
}

// The compiled entry, from src/ (tests) and dist/ alike: both lead to dist/.
const PROJECTION_WORKER = new URL('../dist/projection-worker.js', import.meta.url);

const staticApps = [
  { path: '/console', dir: fileURLToPath(new URL('../../desktop-console/dist/renderer/', import.meta.url)) },
  { path: '/app', dir: fileURLToPath(new URL('../../citizen-app/dist/', import.meta.url)) },
];

/** Everything `npm start` runs: infrastructure, migrations, seed, projectors, the HTTP API and live updates. */
export async function startPalabre(config: Config, options: StartOptions = {}): Promise<Palabre> {
  startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'palabre-api', instrumentations: false });
  const infra = await openInfrastructure(config, options.databaseUrl ? { databaseUrl: options.databaseUrl } : {});
  let app: INestApplication | null = null;
  let projectors: ProjectorGroup | null = null;
  try {
    app = await NestFactory.create(AppModule.forRoot(infra), { bodyParser: false, logger: options.verbose ? ['log', 'warn', 'error'] : ['error'] });
    // The Android/iOS shells load the app from their own origin and call the API across it.
    app.enableCors({ origin: ['capacitor://localhost', 'https://localhost', 'http://localhost', 'ionic://localhost'], exposedHeaders: ['ETag', 'Location', 'Retry-After'] });
    installHttpBasics(app);
    await app.init(); // module hooks (audit key, schema) before projectors and seed
    const seed = await seedDemo(infra, app.get(Credentials), { password: config.demoPassword, tickets: options.demoTickets ?? true });
    await app.get(ReferenceCatalog).refresh();
    const auditProjector = app.get(AuditLog).projector;
    const live = app.get(LiveUpdates);
    const runner = {
      onBatch: (info: BatchInfo) => {
        metrics.setProjectionLag(info.projector, 0, 0);
        live.projected(info);
      },
      onError: (error: unknown, projector: string) => logger.error('projector failed; retrying from its checkpoint', { projector, error: String(error) }),
    };
    // The transparency log's projector runs in the API beside the read models (or alone when they run
    // in their own process); it is never part of a rebuild.
    const here = config.inProcessProjections ? [...defaultProjectors, auditProjector] : [auditProjector];
    // The thread reads the log from PostgreSQL; with the log in KurrentDB the projectors stay here.
    if (options.projectorThread === 'worker' && config.eventStoreUrl === null && existsSync(fileURLToPath(PROJECTION_WORKER))) {
      const data: ApiProjectorThreadData = { databaseUrl: infra.databaseUrl, origin: live.origin, dataDir: config.dataDir, readModels: config.inProcessProjections };
      projectors = startProjectorsInThread({ script: PROJECTION_WORKER, data, names: here.map((p) => p.name), ...runner });
    } else {
      projectors = startProjectors(infra.store, infra.pool, here, { ...runner, origin: live.origin });
    }
    await projectors.waitFor(await infra.store.headPosition());
    app.enableShutdownHooks();
    await app.listen(config.port, config.host);
    await live.attach(app.getHttpServer() as Server, infra.databaseUrl);
    // A log in KurrentDB is backed up with KurrentDB's own tools, not by this schedule.
    const backups = config.backups && config.eventStoreUrl === null
      ? startBackupSchedule(
          { pool: infra.pool, dataDir: config.dataDir, mediaDir: config.mediaDir },
          { dir: config.backups.dir, keep: config.backups.keep, intervalMs: config.backups.intervalHours * 3_600_000, encryption: scheduleEncryption(config.backups.publicKeyFile, config.backups.passphraseFile) },
        )
      : null;
    const address = (app.getHttpServer() as Server).address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    const running = app;
    return {
      url,
      app: running,
      infra,
      seed,
      projectors,
      async close() {
        await backups?.stop();
        await projectors?.stop();
        await running.close();
        await infra.close();
      },
    };
  } catch (error) {
    await projectors?.stop().catch(() => {});
    await app?.close().catch(() => {});
    await infra.close();
    throw error;
  }
}

/** JSON bodies (64 KB), the built console and app, Swagger UI assets, request metrics, a landing page. */
function installHttpBasics(app: INestApplication): void {
  // ETags are revisions (If-Match); Express's automatic content hashes would look like one and are not.
  (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set('etag', false);
  const parseJson = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? (response.statusCode === 404 ? 'unmatched' : request.baseUrl || 'static');
      metrics.httpRequest(request.method, route, response.statusCode, performance.now() - started);
    });
    parseJson(request, response, (error?: unknown) => {
      if (!error) return next();
      const problem = toProblemError(error);
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toProblem(request.originalUrl)));
    });
  });
  app.use('/docs/assets', express.static(swaggerUiDir, { index: false, maxAge: '1d' }));
  for (const { path, dir } of staticApps) {
    app.use(path, servePrecompressed(dir));
    app.use(path, express.static(dir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForIndex }));
    // Client-side routes of the single-page apps fall back to their index.html.
    app.use(path, (request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || !existsSync(`${dir}index.html`)) return next();
      response.setHeader('Cache-Control', 'no-cache').sendFile(`${dir}index.html`);
    });
  }
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || request.path !== '/') return next();
    response.type('html').send(landingPage);
  });
}

const textTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
};

/** Serves the build's `.gz` copies to clients that accept gzip: the citizen app on 2G loads ~4× fewer bytes. */
function servePrecompressed(dir: string) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!/\bgzip\b/.test(request.header('accept-encoding') ?? '')) return next();
    const relative = request.path === '/' ? '/index.html' : request.path;
    const type = textTypes[extname(relative)];
    if (!type || relative.includes('..')) return next();
    const file = join(dir, relative);
    if (!existsSync(`${file}.gz`)) return next();
    response.setHeader('Content-Encoding', 'gzip');
    response.setHeader('Content-Type', type);
    response.setHeader('Vary', 'Accept-Encoding');
    noCacheForIndex(response, relative);
    if (!response.getHeader('Cache-Control')) response.setHeader('Cache-Control', relative.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    response.sendFile(`${file}.gz`);
  };
}

function noCacheForIndex(response: Response, path: string): void {
  if (path.endsWith('index.html') || path.endsWith('sw.js') || path.endsWith('.webmanifest')) response.setHeader('Cache-Control', 'no-cache');
}

const landingPage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Palabre</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Palabre</h1><p>Signalements citoyens et suivi des tickets de la commune. / Citizen reports and municipal ticket tracking.</p>
<ul><li><a href="/console/">Console des dispatchers / Dispatcher console</a></li><li><a href="/app/">Application citoyenne / Citizen app</a></li><li><a href="/docs">API (OpenAPI)</a></li><li><a href="/health">État / Health</a></li></ul></body></html>`;
