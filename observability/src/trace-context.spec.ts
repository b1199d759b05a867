import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTelemetry, type Telemetry } from './telemetry.js';
import { currentTraceContext, linksFromContexts, withSpan, withSpanFromContext } from './trace-context.js';
import { parseTraceContext } from './traceparent.js';

// This file owns the process-wide providers while it runs; shutdown unregisters them for the next file.
const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor({ exporter });
// Exports are asynchronous (the resource may still be resolving host attributes).
const flush = () => processor.forceFlush();
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({
    serviceName: 'trace-context-spec',
    instrumentations: false,
    spanProcessors: [processor],
  });
});
afterAll(() => telemetry.shutdown());
beforeEach(async () => {
  await flush();
  exporter.reset();
});

const finished = (name: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no finished span named ${name}`);
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('spans around a command', () => {
  it('nests spans across awaits and exposes the active one as a W3C traceparent', async () => {
    let stored: ReturnType<typeof currentTraceContext> = {};
    await withSpan('POST /tickets', { 'http.route': '/tickets' }, async () => {
      await tick();
      await withSpan('command ReportTicket', { 'palabre.command': 'ReportTicket' }, async (span) => {
        await tick();
        await withSpan('append ticket-42', {}, async () => {
          await tick();
          stored = currentTraceContext();
        });
        expect(trace.getActiveSpan()).toBe(span);
      });
    });
    await flush();

    const request = finished('POST /tickets');
    const command = finished('command ReportTicket');
    const append = finished('append ticket-42');
    expect(parentOf(command)).toBe(request.spanContext().spanId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    expect(new Set([request, command, append].map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(stored.traceparent).toBe(`00-${append.spanContext().traceId}-${append.spanContext().spanId}-01`);
    expect(command.attributes['palabre.command']).toBe('ReportTicket');
  });

  it('keeps concurrent requests in their own traces', async () => {
    const seen = await Promise.all(
      ['first', 'second'].map((name) =>
        withSpan(name, {}, async () => {
          await tick();
          return withSpan(`${name} child`, {}, async () => {
            await tick();
            return currentTraceContext().traceparent;
          });
        }),
      ),
    );
    await flush();
    expect(parseTraceContext({ traceparent: seen[0] })?.traceId).toBe(finished('first').spanContext().traceId);
    expect(parseTraceContext({ traceparent: seen[1] })?.traceId).toBe(finished('second').spanContext().traceId);
    expect(finished('first').spanContext().traceId).not.toBe(finished('second').spanContext().traceId);
  });

  it('runs synchronous work too and returns its result', async () => {
    const result = withSpan('decide', {}, () => 42);
    expect(result).toBe(42);
    await flush();
    expect(finished('decide').ended).toBe(true);
  });

  it('records a failure on the span, marks it as an error and rethrows', async () => {
    await expect(
      withSpan('command CloseTicket', {}, async () => {
        await tick();
        throw new Error('ticket.closed');
      }),
    ).rejects.toThrow('ticket.closed');
    expect(() => withSpan('sync failure', {}, () => { throw new Error('boom'); })).toThrow('boom');
    await flush();

    const span = finished('command CloseTicket');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ticket.closed' });
    expect(span.events.map((event) => event.name)).toContain('exception');
    expect(finished('sync failure').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('has no trace context outside any span', () => {
    expect(currentTraceContext()).toEqual({});
  });
});

describe('spans continued from event metadata', () => {
  it('makes a projection a child of the request stored in the event metadata', async () => {
    const stored = await withSpan('POST /tickets', {}, async () => currentTraceContext());
    await flush();
    exporter.reset();

    await withSpanFromContext('project TicketReported', stored, { 'palabre.projector': 'tickets' }, { kind: SpanKind.CONSUMER }, async () => {
      await tick();
      await withSpan('emit ticket:updated', {}, async () => tick());
    });
    await flush();

    const projection = finished('project TicketReported');
    const origin = parseTraceContext(stored);
    expect(projection.spanContext().traceId).toBe(origin?.traceId);
    expect(parentOf(projection)).toBe(origin?.spanId);
    expect(projection.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(finished('emit ticket:updated'))).toBe(projection.spanContext().spanId);
  });

  it('falls back to the active span when the event carries no trace context', async () => {
    await withSpan('projector batch', {}, () =>
      withSpanFromContext('project LegacyEvent', { traceparent: 'not-a-traceparent' }, {}, () => undefined),
    );
    await flush();
    expect(parentOf(finished('project LegacyEvent'))).toBe(finished('projector batch').spanContext().spanId);
  });

  it('links a batch span to every distinct request its events came from', async () => {
    const first = await withSpan('request one', {}, async () => currentTraceContext());
    const second = await withSpan('request two', {}, async () => currentTraceContext());

    const links = linksFromContexts([first, second, first, {}, undefined]);
    await withSpan('project batch', { 'palabre.events': 4 }, { links }, async () => tick());
    await flush();

    const batch = finished('project batch');
    expect(batch.links.map((link) => link.context.traceId).sort()).toEqual(
      [finished('request one'), finished('request two')].map((s) => s.spanContext().traceId).sort(),
    );
    expect(parentOf(batch)).toBeUndefined();
  });
});
