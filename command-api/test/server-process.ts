import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Client, eventually } from './support.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** `npx tsc -b`: tests that run the compiled server build it first. */
export function buildServer(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'pipe' });
}

export { freePort } from '@palabre/event-store';

/** The compiled server as a process, with what it printed and how it ended. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `command` (the compiled server unless given) with the environment; the embedded PostgreSQL unless DATABASE_URL is set in `env`. */
export function runServer(env: NodeJS.ProcessEnv, port: number, command: readonly string[] = [process.execPath, entry], cwd = root): ServerProcess {
  const child = spawn(command[0]!, command.slice(1), { cwd, env: { LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
}

export async function healthy(server: ServerProcess, timeoutMs = 180_000): Promise<void> {
  await eventually(
    async () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited (${server.child.exitCode}): ${server.output().slice(-2000)}`);
      return (await fetch(`${server.url}/health`).catch(() => null))?.status === 200;
    },
    'the server to be healthy',
    timeoutMs,
  );
}

/** Reports filed by a few phones back to back until the server stops answering (or `stop`); the ids of those answered 201. */
export class Burst {
  readonly acknowledged: string[] = [];
  /** How many answers of each status the phones got. */
  readonly statuses = new Map<number, number>();
  /** The 503 answers (the database restarting under a server that stays up), as a phone sees them. */
  readonly unavailable: { contentType: string | null; retryAfter: string | null; body: any }[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  private constructor(private readonly citizens: Client[]) {
    this.done = Promise.all(citizens.map((c) => this.file(c))).then(() => {});
  }

  static async start(url: string, phones = 4): Promise<Burst> {
    const citizens = await Promise.all(Array.from({ length: phones }, async () => {
      const c = new Client(url);
      await c.asCitizen();
      return c;
    }));
    return new Burst(citizens);
  }

  async atLeast(n: number, timeoutMs = 60_000): Promise<void> {
    await eventually(async () => this.acknowledged.length >= n, `${n} reports acknowledged`, timeoutMs);
  }

  /** Waits until every phone has seen the server go. */
  ended(): Promise<void> {
    return this.done;
  }

  /** Each phone stops after its report under way. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.done;
  }

  private async file(citizen: Client): Promise<void> {
    let key = randomUUID();
    while (!this.stopped) {
      try {
        const reply = await citizen.report({ description: 'Signalement pendant un arrêt' }, key);
        this.statuses.set(reply.status, (this.statuses.get(reply.status) ?? 0) + 1);
        if (reply.status === 503) {
          this.unavailable.push({ contentType: reply.headers.get('content-type'), retryAfter: reply.headers.get('retry-after'), body: reply.body });
          // As the app's outbox does, the same report again with its key, though sooner than Retry-After: the test waits for the recovery.
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        if (reply.status === 201) this.acknowledged.push(reply.body.id);
        else if (reply.status < 500) throw new Error(`report refused: ${reply.status} ${JSON.stringify(reply.body)}`);
        key = randomUUID();
      } catch (error) {
        if (error instanceof TypeError) return; // connection refused or reset: the server is gone
        throw error;
      }
    }
  }
}

/** Postmasters whose data dir is `pgDir` (their current directory), by pid. */
export function postmastersOn(pgDir: string): number[] {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!(cmdline[0]?.endsWith('/postgres') && cmdline.includes('-D') && cmdline[cmdline.indexOf('-D') + 1] === pgDir)) continue;
      // Field 4 of /proc/PID/stat (after the parenthesised name) is the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      found.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  // A child the postmaster has just forked shows its command line until it renames itself: not a second postmaster.
  return [...found.keys()].filter((pid) => !found.has(found.get(pid)!));
}
