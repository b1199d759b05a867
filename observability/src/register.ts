// Side-effect entry: `node --import @palabre/observability/register app.js`.
import { register } from 'node:module';
import { startTelemetry } from './telemetry.js';

// The SDK itself loads before the hook (it needs no patching, and hooked loading is ~5× slower);
// the hook must be in place before the application loads express, pg or socket.io.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

// Pending spans get this long to reach the collector; exiting matters more than the last batch.
const SHUTDOWN_GRACE_MS = 1_000;

const telemetry = startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'palabre' });

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= Promise.race([
    telemetry.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
  ]);
  return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
  // The application has its own handler (NestJS shutdown hooks): let it close first.
  // Nest re-raises the signal once closed, and that second time we are the only listener.
  if (process.listenerCount(signal) > 1) return;
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGINT', onSignal);
  void stop().finally(() => process.kill(process.pid, signal));
}

process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
// The exporter's retries to an unreachable collector would keep the loop alive past the grace period.
process.once('beforeExit', () => void stop().then(() => process.exit()));
