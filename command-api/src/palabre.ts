import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { KeeperEvents } from '@palabre/event-store';
import { logger, metrics, startTelemetry } from '@palabre/observability';
import { type BatchInfo, defaultProjectors, type ProjectorGroup, startProjectors, startProjectorsInThread } from '@palabre/projections';
import { AppModule } from './app.module.js';
import { AuditLog } from './audit/index.js';
import { Credentials } from './auth/credentials.js';
import type { Config } from './config.js';
import { builtApp } from './http/built-app.js';
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
  /** The embedded PostgreSQL went down, came back in place, or could not (`npm start` then stops too). */
  readonly embedded?: KeeperEvents;
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
  const infra = await openInfrastructure(config, {
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.embedded ? { embedded: options.embedded } : {}),
  });
  let app: INestApplication | null = null;
  let projectors: ProjectorGroup | null = null;
  try {
    app = await NestFactory.create(AppModule.forRoot(infra), { bodyParser: false, logger: options.verbose ? ['log', 'warn', 'error'] : ['error'] });
    // The Android/iOS shells load the app from their own origin and call the API across it.
    app.enableCors({ origin: ['capacitor://localhost', 'https://localhost', 'http://localhost', 'ionic://localhost'], exposedHeaders: ['ETag', 'Location', 'Retry-After'] });
    installHttpBasics(app, config);
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
        await drain(running.getHttpServer() as Server, live);
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

/** How long requests under way may take to finish once a stop is asked. */
const DRAIN_MS = 8_000;

/**
 * The first steps of a stop: no new connection is accepted, socket clients are told to reconnect
 * (to this server once it is back), and requests under way get their answer; keep-alive
 * connections close as soon as they are idle, and any left after DRAIN_MS are cut.
 */
async function drain(http: Server, live: LiveUpdates): Promise<void> {
  let drained = false;
  http.close(() => (drained = true));
  await live.disconnectClients();
  const deadline = Date.now() + DRAIN_MS;
  while (!drained && Date.now() < deadline) {
    http.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  http.closeAllConnections();
}

/** Who the client is, JSON bodies (64 KB), the built console and app, Swagger UI assets, request metrics, a landing page. */
function installHttpBasics(app: INestApplication, config: Config): void {
  const server = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  // ETags are revisions (If-Match); Express's automatic content hashes would look like one and are not.
  server.set('etag', false);
  // request.ip (rate limits, access trail) follows X-Forwarded-For only through the proxies TRUST_PROXY names.
  server.set('trust proxy', Array.isArray(config.trustProxy) ? [...config.trustProxy] : config.trustProxy);
  const parseJson = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  // A commune's census list is the one large text body (about 4 MB for 150,000 residents).
  app.use('/api/communes', express.text({ limit: '16mb', type: ['text/csv', 'text/plain'] }));
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
  for (const { path, dir } of staticApps) app.use(path, builtApp(dir));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || request.path !== '/') return next();
    response.type('html').send(landingPage);
  });
}

const landingPage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Palabre</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Palabre</h1><p>Signalements citoyens et suivi des tickets de la commune. / Citizen reports and municipal ticket tracking.</p>
<ul><li><a href="/console/">Console des dispatchers / Dispatcher console</a></li><li><a href="/app/">Application citoyenne / Citizen app</a></li><li><a href="/docs">API (OpenAPI)</a></li><li><a href="/health">État / Health</a></li></ul></body></html>`;
