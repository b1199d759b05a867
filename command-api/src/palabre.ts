import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { logger, metrics, startTelemetry } from '@palabre/observability';
import { defaultProjectors, type ProjectorGroup, startProjectors } from '@palabre/projections';
import { AppModule } from './app.module.js';
import { Credentials } from './auth/credentials.js';
import type { Config } from './config.js';
import { toProblemError } from './http/problem.filter.js';
import { LiveUpdates } from './live/live-updates.js';
import { swaggerUiDir } from './openapi/docs.controller.js';
import { type Infrastructure, openInfrastructure } from './platform/infrastructure.js';
import { ReferenceCatalog } from './reference/reference-catalog.js';
import { seedDemo, type SeedResult } from './seed/demo-seed.js';

export interface StartOptions {
  /** A database to use instead of the configured or embedded one (tests). */
  readonly databaseUrl?: string;
  /** Seed demo data (reference data and demo staff always; demo tickets when true). */
  readonly demoTickets?: boolean;
  /** Nest's own logs; quiet in tests. */
  readonly verbose?: boolean;
}

export interface Palabre {
  readonly url: string;
  readonly app: INestApplication;
  readonly infra: Infrastructure;
  readonly seed: SeedResult;
  readonly projectors: ProjectorGroup | null;
  close(): Promise<void>;
}

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
    installHttpBasics(app);
    const seed = await seedDemo(infra, app.get(Credentials), { password: config.demoPassword, tickets: options.demoTickets ?? true });
    await app.get(ReferenceCatalog).refresh();
    if (config.inProcessProjections) {
      projectors = startProjectors(infra.store, infra.pool, defaultProjectors, {
        onBatch: (info) => metrics.setProjectionLag(info.projector, 0, 0),
        onError: (error, projector) => logger.error('projector failed; retrying from its checkpoint', { projector, error: String(error) }),
      });
      await projectors.waitFor(await infra.store.headPosition());
    }
    app.enableShutdownHooks();
    await app.listen(config.port, config.host);
    await app.get(LiveUpdates).attach(app.getHttpServer() as Server, infra.databaseUrl);
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

function noCacheForIndex(response: Response, path: string): void {
  if (path.endsWith('index.html') || path.endsWith('sw.js') || path.endsWith('.webmanifest')) response.setHeader('Cache-Control', 'no-cache');
}

const landingPage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Palabre</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Palabre</h1><p>Signalements citoyens et suivi des tickets de la commune. / Citizen reports and municipal ticket tracking.</p>
<ul><li><a href="/console/">Console des dispatchers / Dispatcher console</a></li><li><a href="/app/">Application citoyenne / Citizen app</a></li><li><a href="/docs">API (OpenAPI)</a></li><li><a href="/health">État / Health</a></li></ul></body></html>`;
