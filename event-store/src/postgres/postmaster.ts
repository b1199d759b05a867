import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A start of the embedded server that failed, in one sentence naming the cause and the fix. */
export class PostgresStartError extends Error {
  override readonly name = 'PostgresStartError';
}

/** The port chosen free was taken by another program before PostgreSQL could listen on it. */
export class PortTakenError extends PostgresStartError {}

const PORT_TAKEN = /could not bind IPv4 address "([^"]+)": Address already in use/;

/** Names our postmasters by the process that started them, so a later start can tell an orphan from a live owner. */
const OWNER_VARIABLE = 'PALABRE_POSTGRES_OWNER';

export interface Postmaster {
  readonly pid: number;
  /** Fast shutdown (SIGINT: sessions rolled back, a checkpoint written), then waits for the exit. */
  stop(): Promise<void>;
}

export interface PostmasterOptions {
  readonly postgres: string;
  readonly dataDir: string;
  readonly args: readonly string[];
  /** uid/gid to run as (the `postgres` user when we are root). */
  readonly user: { uid?: number; gid?: number };
  readonly log: (line: string) => void;
  /** The server stopped without being asked to (killed, crashed). */
  readonly onUnexpectedExit?: (reason: string) => void;
  /** Until when old backends are waited for (default: a minute from now). */
  readonly deadline?: number;
}

const READY = 'database system is ready to accept connections';
/** Backends of a killed postmaster leave on their own, within moments; until then the shared memory is theirs. */
const OLD_BACKENDS = /pre-existing shared memory block .* is still in use/;

/** Starts the postmaster and resolves once it accepts connections; retries while old backends still hold the shared memory. */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const deadline = options.deadline ?? Date.now() + 60_000;
  for (;;) {
    try {
      return await spawnOnce(options);
    } catch (error) {
      if (!(error instanceof OldBackendsError) || Date.now() > deadline) throw error instanceof OldBackendsError ? new PostgresStartError(error.message) : error;
      await delay(500);
    }
  }
}

class OldBackendsError extends Error {}

function spawnOnce(options: PostmasterOptions): Promise<Postmaster> {
  const setpriv = parentDeathTool();
  // With setpriv, the server gets SIGINT (a fast, clean shutdown) when this process dies, even by kill -9.
  const [command, args] = setpriv ? [setpriv, ['--pdeathsig', 'INT', '--', options.postgres, ...options.args]] : [options.postgres, [...options.args]];
  const child = spawn(command, args, {
    ...options.user,
    // Its own process group: a Ctrl+C in the terminal reaches the API, which stops the server last.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C', [OWNER_VARIABLE]: String(process.pid) },
  });
  let stderr = '';
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new PostgresStartError(`PostgreSQL could not be run (${error.message}); reinstall the dependencies with npm ci.`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.log(text);
      if (!ready) stderr += text;
      if (!ready && stderr.includes(READY)) {
        ready = true;
        stderr = '';
        // Once up, a process that ends without stopping its server is not held open by it: the server follows it (parent death).
        child.unref();
        (child.stderr as unknown as { unref(): void }).unref();
        resolve(handle(child, exited, () => (stopping = true)));
      }
    });
    child.once('exit', (code, signal) => {
      if (!ready) {
        const failure = explainPostgresFailure(stderr, options.dataDir);
        reject(OLD_BACKENDS.test(stderr) ? new OldBackendsError(failure) : PORT_TAKEN.test(stderr) ? new PortTakenError(failure) : new PostgresStartError(failure));
      } else if (!stopping) options.onUnexpectedExit?.(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}

function handle(child: ChildProcess, exited: Promise<void>, markStopping: () => void): Postmaster {
  return {
    pid: child.pid!,
    async stop() {
      markStopping();
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.ref(); // this process waits for the server's exit
      child.kill('SIGINT');
      // Immediate shutdown if the fast one hangs: crash recovery replays the WAL at the next start.
      const escalate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await exited;
      clearTimeout(escalate);
    },
  };
}

/** What PostgreSQL's last words mean for whoever runs Palabre. */
export function explainPostgresFailure(stderr: string, dataDir: string): string {
  const version = /initialized by PostgreSQL version (\d+), which is not compatible with this version (\d+)/.exec(stderr);
  if (version) return versionMismatch(dataDir, version[1]!, version[2]!);
  if (/No space left on device/i.test(stderr)) return diskFull(dataDir);
  if (/Permission denied|has wrong ownership|has invalid permissions|Operation not permitted/i.test(stderr))
    return `PostgreSQL has no permission to use its data dir ${dataDir}; give the user that runs it (as root, the "postgres" user) ownership of it (chown -R) or set PALABRE_DATA_DIR to a folder of its own.`;
  const held = /another postmaster \(PID (\d+)\)/.exec(stderr);
  if (held) return heldBy(dataDir, Number(held[1]), null);
  const address = PORT_TAKEN.exec(stderr);
  if (address) return `The embedded PostgreSQL could not listen on ${address[1]}, whose port another program took meanwhile; start again.`;
  const fatal = /(?:FATAL|PANIC|ERROR):\s+(.*)/.exec(stderr)?.[1]?.trim();
  const last = fatal ?? stderr.trim().split('\n').at(-1) ?? '';
  return `The embedded PostgreSQL in ${dataDir} did not start (${last || 'it exited without a word'}); its log is above, see what it says or set PALABRE_DATA_DIR to another folder.`;
}

export function diskFull(dir: string): string {
  return `The disk holding ${dir} is full; free some space on it (or set PALABRE_DATA_DIR to a folder on another disk) and start again.`;
}

function versionMismatch(dataDir: string, found: string, ours: string): string {
  return `The data dir ${dataDir} was made by PostgreSQL ${found} and this Palabre runs PostgreSQL ${ours}; restore a backup into a new data dir (or upgrade it with pg_upgrade), or set PALABRE_DATA_DIR to another folder.`;
}

function heldBy(dataDir: string, pid: number, owner: number | null): string {
  return owner === null
    ? `The data dir ${dataDir} is in use by PostgreSQL (pid ${pid}), which Palabre did not start; stop it (kill -INT ${pid}) or set PALABRE_DATA_DIR to another folder.`
    : `The data dir ${dataDir} is in use by PostgreSQL (pid ${pid}) of another Palabre process (pid ${owner}) still running; stop that one first (kill ${owner}) or set PALABRE_DATA_DIR to another folder.`;
}

/** Refuses a data dir made by another major version before the server says so in its own words. */
export function assertSameMajor(dataDir: string, postgres: string): void {
  const found = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();
  const ours = /\(PostgreSQL\) (\d+)/.exec(execFileSync(postgres, ['--version'], { encoding: 'utf8' }))?.[1];
  if (ours && found !== ours) throw new PostgresStartError(versionMismatch(dataDir, found, ours));
}

/**
 * Before a start: a postmaster left running by a process that died (an API killed with -9, before
 * the parent-death signal existed or where setpriv is missing) is stopped, with a fast shutdown;
 * one whose owner still runs is refused by pid; a lock file naming a pid now used by some other
 * program (after a power cut) is stale and removed. Never two postmasters on one data dir.
 */
export async function releaseOrphan(dataDir: string): Promise<void> {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  // One killed a moment ago (with its API, a power cut played by hand) stays a zombie until init reaps
  // it, and PostgreSQL takes a lock naming a pid that still exists for a live postmaster: wait for it.
  if (processState(pid) === 'Z') await gone(pid, 15_000, (p) => processState(p) !== null);
  if (!alive(pid)) return; // PostgreSQL replaces a dead one's lock itself
  if (!servesDataDir(pid, dataDir)) {
    rmSync(lockFile, { force: true });
    return;
  }
  const owner = ownerOf(pid);
  const parent = parentOf(pid);
  const orphan = owner === null ? parent === 1 : owner !== parent;
  // A postmaster killed a moment ago is still tearing down, its environment already unreadable: let it go.
  if (!orphan && !(await gone(pid, 5_000))) throw new PostgresStartError(heldBy(dataDir, pid, owner));
  if (!orphan) return;
  // Said aloud: whoever looks at the processes sees why a postgres stopped.
  console.log(`Palabre: stopping the embedded PostgreSQL (pid ${pid}) that a stopped process left running on ${dataDir}.`);
  process.kill(pid, 'SIGINT');
  if (await gone(pid, 60_000)) return;
  process.kill(pid, 'SIGQUIT');
  if (!(await gone(pid, 15_000))) throw new PostgresStartError(heldBy(dataDir, pid, null));
}

/** The process's state letter (R, S, D, Z …), or null when there is no such process. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  const state = processState(pid);
  return state !== null && state !== 'Z'; // a zombie holds nothing
}

/** A postmaster works in its data dir: its current directory says whose lock file it is. */
function servesDataDir(pid: number, dataDir: string): boolean {
  try {
    return realpathSync(`/proc/${pid}/cwd`) === realpathSync(dataDir) && /postgres/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false; // another user's process: ours run as us (or as postgres, which root may read)
  }
}

function ownerOf(pid: number): number | null {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${OWNER_VARIABLE}=`));
    return entry ? Number(entry.slice(OWNER_VARIABLE.length + 1)) : null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Waits until `pid` no longer counts as there (by default: alive), `ms` at most; true if it went. */
async function gone(pid: number, ms: number, there: (pid: number) => boolean = alive): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!there(pid)) return true;
    await delay(100);
  }
  return !there(pid);
}

let setprivPath: string | null | undefined;
function parentDeathTool(): string | null {
  setprivPath ??= ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null;
  return setprivPath;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
