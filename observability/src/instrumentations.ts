import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { SocketIoInstrumentation } from '@opentelemetry/instrumentation-socket.io';

// Scrapes and probes arrive every few seconds; tracing them would drown real requests.
const UNTRACED_PATHS = new Set(['/metrics', '/health', '/healthz', '/ready', '/live']);

/** Automatic spans for what Palabre runs on: HTTP, Express (under NestJS), PostgreSQL, socket.io. */
export function palabreInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
    }),
    new ExpressInstrumentation(),
    // Connection-pool spans without a request around them are noise (projector idle polls).
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    new SocketIoInstrumentation(),
  ];
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
