#!/usr/bin/env node
/** `npm start`: Palabre on embedded PostgreSQL (or DATABASE_URL), with demo data, on PORT (8080). */
import 'reflect-metadata';
import { loadConfig } from './config.js';
import { trustProxyWarning } from './http/trust-proxy.js';
import { startPalabre } from './palabre.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const warning = trustProxyWarning(config);
  if (warning) console.warn(warning);
  console.log(config.databaseUrl ? 'Palabre: connecting to DATABASE_URL…' : `Palabre: starting embedded PostgreSQL in ${config.dataDir}/pg…`);
  const palabre = await startPalabre(config, { verbose: false, projectorThread: 'worker' });
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
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nPalabre: ${signal} received, stopping…`);
    await palabre.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
