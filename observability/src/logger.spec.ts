import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LineSink } from './logger.js';
import { startTelemetry, type Telemetry } from './telemetry.js';
import { currentTraceContext, withSpan } from './trace-context.js';

// This file owns the process-wide providers while it runs; shutdown unregisters them for the next file.
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'logger-spec', instrumentations: false });
});
afterAll(() => telemetry.shutdown());

const originalLevel = process.env.LOG_LEVEL;
afterEach(() => {
  if (originalLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = originalLevel;
});

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]): LineSink => ({ write: (line: string) => into.push(line) });
  const entries = (which: 'out' | 'err') => lines[which].map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdout: sink(lines.out), stderr: sink(lines.err), lines, entries };
}

describe('structured logger', () => {
  it('writes one JSON line with time, level, message and fields', () => {
    const out = capture();
    createLogger({ level: 'info', stdout: out.stdout, stderr: out.stderr }).info('projector caught up', { projector: 'tickets', position: 42 });

    expect(out.lines.out).toHaveLength(1);
    expect(out.lines.out[0]?.endsWith('\n')).toBe(true);
    const [entry] = out.entries('out');
    expect(entry).toMatchObject({ level: 'info', msg: 'projector caught up', projector: 'tickets', position: 42 });
    expect(new Date(String(entry?.time)).toISOString()).toBe(entry?.time);
  });

  it('carries the trace and span ids of the active span', async () => {
    const out = capture();
    const log = createLogger({ level: 'info', stdout: out.stdout, stderr: out.stderr });
    const traceparent = await withSpan('command AssignTicket', {}, async () => {
      log.info('assigning');
      return currentTraceContext().traceparent;
    });
    log.info('outside');

    const [inside, outside] = out.entries('out');
    const [, traceId, spanId] = traceparent?.split('-') ?? [];
    expect(inside).toMatchObject({ trace_id: traceId, span_id: spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('sends warnings and errors to stderr, with errors readable', () => {
    const out = capture();
    const log = createLogger({ level: 'debug', stdout: out.stdout, stderr: out.stderr });
    log.warn('slow append', { ms: 900 });
    log.error('projection failed', { error: Object.assign(new Error('duplicate key'), { code: '23505' }) });

    expect(out.lines.out).toEqual([]);
    const [warning, failure] = out.entries('err');
    expect(warning).toMatchObject({ level: 'warn', ms: 900 });
    expect(failure?.error).toMatchObject({ name: 'Error', message: 'duplicate key', code: '23505' });
    expect(String((failure?.error as { stack?: string }).stack)).toContain('duplicate key');
  });

  it('filters by LOG_LEVEL and says nothing when silent', () => {
    const out = capture();
    const log = createLogger({ stdout: out.stdout, stderr: out.stderr });
    process.env.LOG_LEVEL = 'warn';
    log.info('hidden');
    log.warn('shown');
    process.env.LOG_LEVEL = 'silent';
    log.error('hidden too');

    expect(out.lines.out).toEqual([]);
    expect(out.entries('err').map((entry) => entry.msg)).toEqual(['shown']);
  });

  it('adds child fields to every entry without letting fields overwrite the envelope', () => {
    const out = capture();
    const log = createLogger({ level: 'info', stdout: out.stdout, stderr: out.stderr }).child({ component: 'projector' });
    const cyclic: Record<string, unknown> = { id: 'ticket-1' };
    cyclic.self = cyclic;
    log.info('applied', { level: 'forged', msg: 'forged', ticket: cyclic, position: 10n });

    expect(out.entries('out')[0]).toMatchObject({
      level: 'info',
      msg: 'applied',
      component: 'projector',
      ticket: { id: 'ticket-1', self: '[Circular]' },
      position: '10',
    });
  });
});
