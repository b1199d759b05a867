import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { diskFull, PostgresStartError } from '@palabre/event-store';
import type { Config } from './config.js';

/** Refuses a taken port before the database starts, rather than after migrations and seed. */
export function assertPortFree(config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

/** One sentence for a start that failed: what is wrong and what to do, never `undefined`. */
export function startFailure(error: unknown, config: Config): string {
  if (error instanceof PostgresStartError) return `Palabre cannot start: ${lowerFirst(error.message)}`;
  const failure = error as NodeJS.ErrnoException | null | undefined;
  const path = typeof failure?.path === 'string' ? failure.path : config.dataDir;
  switch (failure?.code) {
    case 'EADDRINUSE':
      return `Palabre cannot start: port ${config.port} on ${config.host} is already in use by another program (perhaps another Palabre); stop it or set PORT to a free port.`;
    case 'EACCES':
    case 'EPERM':
      if (failure.syscall === 'listen' || failure.syscall === 'bind')
        return `Palabre cannot start: it has no permission to listen on port ${config.port}; set PORT to a port above 1023 (and let the reverse proxy take 80 and 443).`;
      return `Palabre cannot start: it has no permission to write ${path}; give the user that runs Palabre ownership of ${config.dataDir} (chown -R) or set PALABRE_DATA_DIR to a folder it owns.`;
    case 'EROFS':
      return `Palabre cannot start: ${path} is on a read-only file system; set PALABRE_DATA_DIR to a writable folder.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `Palabre cannot start: ${lowerFirst(diskFull(config.dataDir))}`;
  }
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return `Palabre cannot start: something failed without giving a reason (${inspect(error)}); the lines above may say more.`;
}

/** "The data dir …" reads on after "Palabre cannot start:". */
const lowerFirst = (sentence: string) => sentence.replace(/^The /, 'the ');
