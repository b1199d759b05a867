export { startTelemetry, PROMETHEUS_CONTENT_TYPE, type Telemetry, type TelemetryOptions } from './telemetry.js';
export {
  currentTraceContext,
  withSpan,
  withSpanFromContext,
  linkFromContext,
  linksFromContexts,
  type SpanSettings,
} from './trace-context.js';
export { parseTraceContext, formatTraceparent, toTraceCarrier, type TraceCarrier } from './traceparent.js';
export { metrics } from './metrics.js';
export { logger, createLogger, type Logger, type LoggerOptions, type LogFields, type LogLevel, type LineSink } from './logger.js';
export { SpanKind, SpanStatusCode, type Attributes, type Link, type Span } from '@opentelemetry/api';
