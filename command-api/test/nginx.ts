import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@palabre/event-store';
import { findNginx } from '../../scripts/machine.mjs';
import { eventually } from './support.js';

/** Debian's nginx (`apt-get install nginx`), or the one PALABRE_NGINX names: found as `npm test` checks it. */
export const nginx = findNginx();

/** The production configuration the deployment guide gives, tested as it is written. */
export const productionConfig = new URL('../../docs/deploy/nginx.conf', import.meta.url);

export interface Nginx {
  readonly httpsUrl: string;
  readonly httpUrl: string;
  /** The self-signed certificate nginx serves, for clients to trust. */
  readonly ca: string;
  stop(): Promise<void>;
}

/**
 * nginx in front of the API at `apiPort`, from docs/deploy/nginx.conf with only its ports and
 * certificate paths changed, inside a main configuration shaped like Debian's /etc/nginx/nginx.conf
 * (so a directive the site file repeats from it would fail here too). Everything it writes stays in
 * a temp dir; it runs in the foreground as our child.
 */
export async function startNginx(apiPort: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'palabre-nginx-'));
  chmodSync(dir, 0o755); // nginx's workers (nobody, when the tests run as root) write request bodies here
  const certificate = join(dir, 'fullchain.pem');
  const key = join(dir, 'privkey.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', certificate], { stdio: 'pipe' });
  try {
    for (let attempt = 1; ; attempt++) {
      const [httpPort, httpsPort] = [await freePort(), await freePort()];
      const site = siteConfig(readFileSync(productionConfig, 'utf8'), { apiPort, httpPort, httpsPort, certificate, key });
      writeFileSync(join(dir, 'palabre.conf'), site);
      writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
      const child = spawn(nginx.path!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const listening = eventually(() => (child.exitCode === null ? accepts(httpsPort) : Promise.resolve(true)), `nginx listening on ${httpsPort}`);
      const ready = await Promise.race([listening.then(() => child.exitCode === null), exited.then(() => false)]);
      if (ready) {
        return {
          httpsUrl: `https://127.0.0.1:${httpsPort}`,
          httpUrl: `http://127.0.0.1:${httpPort}`,
          ca: readFileSync(certificate, 'utf8'),
          async stop() {
            await stopChild(child, exited);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      const log = `${stderr}${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`;
      // Another process may take a port between our probe and nginx's bind: try other ports.
      if (!/Address already in use/.test(log) || attempt === 3) throw new Error(`nginx did not start:\n${log}`);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The production file with this test's ports and certificate; each replaced value must be there exactly once. */
export function siteConfig(text: string, at: { apiPort: number; httpPort: number; httpsPort: number; certificate: string; key: string }): string {
  const replacements: [string, string][] = [
    ['listen 80;', `listen 127.0.0.1:${at.httpPort};`],
    ['listen [::]:80;', ''], // a test machine may have no IPv6
    ['listen 443 ssl http2;', `listen 127.0.0.1:${at.httpsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${at.apiPort};`],
    ['/etc/letsencrypt/live/palabre.example.org/fullchain.pem', at.certificate],
    ['/etc/letsencrypt/live/palabre.example.org/privkey.pem', at.key],
  ];
  return replacements.reduce((config, [from, to]) => {
    const count = config.split(from).length - 1;
    if (count !== 1) throw new Error(`docs/deploy/nginx.conf should hold "${from}" once, not ${count} times`);
    return config.replace(from, to);
  }, text);
}

/** As Debian's /etc/nginx/nginx.conf, with pid, logs and temp files in `dir`. */
function mainConfig(dir: string): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  sendfile on;
  tcp_nopush on;
  types_hash_max_size 2048;
  ${existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : ''}
  default_type application/octet-stream;
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  access_log ${dir}/access.log;
  gzip on;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/palabre.conf;
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM'); // nginx's fast shutdown: open websockets do not hold it
  const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}

export interface ProxiedReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

/**
 * One request through nginx, as a phone at `localAddress` (any 127.x.y.z: the loopback carries them
 * all) would send it, so the API can tell the client from nginx, which connects from 127.0.0.1.
 */
export function throughProxy(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; localAddress?: string; ca?: string } = {},
): Promise<ProxiedReply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, localAddress: options.localAddress ?? '127.0.0.1', ...(options.ca ? { ca: options.ca } : {}), agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          let body: unknown = raw;
          if (!response.headers['content-encoding'] && /json/.test(String(response.headers['content-type']))) body = JSON.parse(raw.toString('utf8'));
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
