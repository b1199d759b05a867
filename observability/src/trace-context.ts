import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanKind,
} from '@opentelemetry/api';
import { parseTraceContext, toTraceCarrier, type TraceCarrier } from './traceparent.js';

const TRACER_NAME = '@palabre/observability';
// OpenTelemetry's default span link limit; more links would be dropped silently anyway.
const MAX_LINKS = 128;

export interface SpanSettings {
  kind?: SpanKind;
  links?: Link[];
}

/**
 * The W3C trace context of the active span, for event metadata.
 * Always W3C (never the configured propagator) so stored metadata keeps one format.
 */
export function currentTraceContext(): TraceCarrier {
  return toTraceCarrier(trace.getActiveSpan()?.spanContext());
}

/** Runs `fn` inside a new active span, child of the active one; sync or async. */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T;
export function withSpan<T>(name: string, attributes: Attributes, settings: SpanSettings, fn: (span: Span) => T): T;
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  settingsOrFn: SpanSettings | ((span: Span) => T),
  maybeFn?: (span: Span) => T,
): T {
  const [settings, fn] = splitArguments(settingsOrFn, maybeFn);
  return runInSpan(name, attributes, settings, context.active(), fn);
}

/**
 * Runs `fn` inside a new span whose parent is the stored trace context (a request handled
 * earlier, maybe in another process); falls back to the active context when none is stored.
 */
export function withSpanFromContext<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  fn: (span: Span) => T,
): T;
export function withSpanFromContext<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  settings: SpanSettings,
  fn: (span: Span) => T,
): T;
export function withSpanFromContext<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  settingsOrFn: SpanSettings | ((span: Span) => T),
  maybeFn?: (span: Span) => T,
): T {
  const [settings, fn] = splitArguments(settingsOrFn, maybeFn);
  const stored = parseTraceContext(carrier);
  const parent = stored ? trace.setSpanContext(context.active(), stored) : context.active();
  return runInSpan(name, attributes, settings, parent, fn);
}

/** A span link to a stored trace context, for a batch span covering many events. */
export function linkFromContext(carrier: TraceCarrier | undefined, attributes?: Attributes): Link | undefined {
  const spanContext = parseTraceContext(carrier);
  if (!spanContext) return undefined;
  return attributes ? { context: spanContext, attributes } : { context: spanContext };
}

/** Links to every distinct stored trace context, capped at the span link limit. */
export function linksFromContexts(carriers: Iterable<TraceCarrier | undefined>): Link[] {
  const links = new Map<string, Link>();
  for (const carrier of carriers) {
    const link = linkFromContext(carrier);
    if (link) links.set(link.context.spanId, link);
    if (links.size >= MAX_LINKS) break;
  }
  return [...links.values()];
}

function splitArguments<T>(
  settingsOrFn: SpanSettings | ((span: Span) => T),
  maybeFn: ((span: Span) => T) | undefined,
): [SpanSettings, (span: Span) => T] {
  if (typeof settingsOrFn === 'function') return [{}, settingsOrFn];
  if (!maybeFn) throw new TypeError('withSpan needs a function to run');
  return [settingsOrFn, maybeFn];
}

function runInSpan<T>(name: string, attributes: Attributes, settings: SpanSettings, parent: Context, fn: (span: Span) => T): T {
  const options = { attributes, ...settings };
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, parent, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      fail(span, error);
      span.end();
      throw error;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      },
    ) as T;
  });
}

function fail(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
