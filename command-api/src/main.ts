#!/usr/bin/env node
/** `npm start`: Palabre on embedded PostgreSQL (or DATABASE_URL), with demo data, on PORT (8080). */
import 'reflect-metadata';
import { type Config, loadConfig } from './config.js';
import { trustProxyWarning } from './http/trust-proxy.js';
import { startPalabre } from './palabre.js';
import { assertPortFree, startFailure } from './start-failure.js';

/** A stop that takes longer (a request or a projector batch that hangs) ends the process anyway. */
const STOP_LIMIT_MS = 13_000;

async function main(config: Config): Promise<void> {
  const warning = trustProxyWarning(config);
  if (warning) console.warn(warning);
  await assertPortFree(config);
  console.log(config.databaseUrl ? 'Palabre: connecting to DATABASE_URL…' : `Palabre: starting embedded PostgreSQL in ${config.dataDir}/pg…`);
  let stopping = false;
  // A stop asked while starting (systemd stopping a slow start) is carried out once started.
  let stopAsked: string | null = null;
  const askStop = (signal: NodeJS.Signals) => void (stopAsked ??= signal);
  process.on('SIGINT', askStop).on('SIGTERM', askStop);
  const palabre = await startPalabre(config, {
    verbose: false,
    projectorThread: 'worker',
    // Started again in place (requests get 503 meanwhile); if it cannot come back, this process stops and systemd (Restart=on-failure) starts it afresh.
    embedded: {
      onDown: (reason) => console.error(`Palabre: the embedded PostgreSQL stopped unexpectedly (${reason}); starting it again, requests are answered 503 meanwhile.`),
      onBack: (pid, afterMs) => console.log(`Palabre: the embedded PostgreSQL is back (pid ${pid}), ${Math.round(afterMs)} ms after it stopped.`),
      onLost: (reason) => {
        if (stopping) return;
        console.error(`Palabre: the embedded PostgreSQL stopped unexpectedly (${reason}), so Palabre stops too; start it again (its service manager does so by itself).`);
        process.exit(1);
      },
    },
  });
  const { password, accounts } = palabre.seed;
  console.log(`
Palabre is running.
  Dispatcher console  ${palabre.url}/console/
  Citizen app         ${palabre.url}/app/
  API documentation   ${palabre.url}/docs   (OpenAPI: ${palabre.url}/openapi.json)
  Health / metrics    ${palabre.url}/health  ${palabre.url}/metrics
Demo staff accounts: ${accounts.map((a) => a.username).join(', ')}
${password ? `Demo password (all accounts): ${password}${config.demoPassword ? ' (PALABRE_DEMO_PASSWORD)' : '  — generated now; keep it, it is shown only once'}` : 'Demo password: unchanged since it was first printed (set PALABRE_DEMO_PASSWORD to choose one).'}
Press Ctrl+C to stop.`);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    console.log(`\nPalabre: ${signal} received, stopping…`);
    setTimeout(() => {
      console.error(`Palabre: not stopped after ${STOP_LIMIT_MS / 1000} s, exiting now (the database recovers at the next start).`);
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    try {
      await palabre.close();
    } catch (error) {
      console.error(`Palabre: the stop did not complete (${error instanceof Error ? error.message : String(error)}); the database recovers at the next start.`);
      process.exit(1);
    }
    console.log(`Palabre: stopped in ${Math.round(performance.now() - started)} ms.`);
    process.exit(0);
  };
  process.off('SIGINT', askStop).off('SIGTERM', askStop);
  if (stopAsked) return stop(stopAsked);
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
main(config).catch((error: unknown) => {
  console.error(startFailure(error, config));
  process.exit(1);
});
