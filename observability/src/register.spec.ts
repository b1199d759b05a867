import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const register = './observability/dist/register.js';

// A process launched the way the API and projector are: no collector configured.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'),
);

beforeAll(async () => {
  await run(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-b', 'observability'], { cwd: root });
});

function node(code: string) {
  return run(process.execPath, ['--import', register, '--input-type=module', '-e', code], { cwd: root, env: childEnv });
}

describe('node --import @palabre/observability/register', () => {
  it('starts telemetry, traces incoming HTTP requests, and exits cleanly', async () => {
    const { stdout, stderr } = await node(`
      import { createServer } from 'node:http';
      import { currentTraceContext, metrics, startTelemetry, withSpan } from '@palabre/observability';
      const server = createServer((request, response) => response.end(JSON.stringify(currentTraceContext())));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const caller = await withSpan('caller', {}, async () => currentTraceContext());
      const response = await fetch('http://127.0.0.1:' + server.address().port + '/tickets', { headers: caller });
      const handled = await response.json();
      server.close();
      metrics.httpRequest('GET', '/tickets', 200, 5);
      const text = await startTelemetry({ serviceName: 'ignored' }).metricsText();
      console.log(JSON.stringify({ caller, handled, counted: text.includes('palabre_http_requests_total{method="GET"') }));
    `);

    expect(stderr).toBe('');
    const { caller, handled, counted } = JSON.parse(stdout) as Record<string, { traceparent?: string } | boolean>;
    const callerParts = (caller as { traceparent: string }).traceparent.split('-');
    const handledParts = (handled as { traceparent?: string }).traceparent?.split('-') ?? [];
    expect(handledParts[1]).toBe(callerParts[1]);
    expect(handledParts[2]).not.toBe(callerParts[2]);
    expect(counted).toBe(true);
  });

  it('exits on SIGTERM with the signal when the application has no handler of its own', async () => {
    const child = spawn(process.execPath, ['--import', register, '-e', `setInterval(() => {}, 1000); console.log('ready');`], {
      cwd: root,
      env: childEnv,
    });
    await once(child.stdout, 'data');
    child.kill('SIGTERM');
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('lets the application handle SIGTERM itself and still exits', async () => {
    const child = spawn(
      process.execPath,
      ['--import', register, '-e', `const timer = setInterval(() => {}, 1000);
        process.on('SIGTERM', () => { clearInterval(timer); console.log('app closed'); });
        console.log('ready');`],
      { cwd: root, env: childEnv },
    );
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await once(child.stdout, 'data');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output.join('')).toContain('app closed');
  });

  it('keeps the application exit code when the configured collector is unreachable', async () => {
    const child = spawn(
      process.execPath,
      ['--import', register, '--input-type=module', '-e', `import { withSpan } from '@palabre/observability';
        withSpan('unexported', {}, () => { process.exitCode = 3; });`],
      // Port 9 (discard) refuses connections: the exporter fails and retries.
      { cwd: root, env: { ...childEnv, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } },
    );
    const errors: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(3);
    expect(errors.join('')).toBe('');
  });
});
