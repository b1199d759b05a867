import { createTraceState, isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/** The W3C trace context of one span, as stored in event metadata and HTTP headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

// version-traceid-spanid-flags; later versions may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A remote span context from a stored carrier, or undefined when absent or malformed. */
export function parseTraceContext(carrier: TraceCarrier | undefined): SpanContext | undefined {
  const match = carrier?.traceparent === undefined ? null : TRACEPARENT.exec(carrier.traceparent.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, extra] = match;
  if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined) return undefined;
  if (version === 'ff' || (version === '00' && extra !== undefined)) return undefined;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16),
    isRemote: true,
    ...(carrier?.tracestate ? { traceState: createTraceState(carrier.tracestate) } : {}),
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** The carrier for a span context; empty when the context is invalid (no SDK, or a no-op span). */
export function toTraceCarrier(spanContext: SpanContext | undefined): TraceCarrier {
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const tracestate = spanContext.traceState?.serialize();
  return { traceparent: formatTraceparent(spanContext), ...(tracestate ? { tracestate } : {}) };
}
