import { context, diag, metrics as metricsApi, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { palabreInstrumentations } from './instrumentations.js';
import { registerPalabreInstruments } from './metrics.js';

export interface TelemetryOptions {
  serviceName: string;
  /** Automatic HTTP, Express, pg and socket.io spans; default true. */
  instrumentations?: boolean;
  /** Extra span processors, after the OTLP exporter (tests pass an in-memory one). */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  readonly serviceName: string;
  /** True when spans are exported over OTLP (an endpoint is configured). */
  readonly exportsTraces: boolean;
  /** The current metrics in Prometheus text exposition format, for `GET /metrics`. */
  metricsText(): Promise<string>;
  /** Flushes and unregisters everything; a later `startTelemetry` starts afresh. */
  shutdown(): Promise<void>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

let running: Telemetry | undefined;

/** Boots OpenTelemetry once per process; later calls return the running instance. */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) return running;
  const env = process.env;
  const exportsTraces =
    Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT) &&
    env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() !== 'none';
  if (!exportsTraces) {
    // Env-driven SDK parts would otherwise target localhost:4318 and retry for seconds on shutdown.
    env.OTEL_METRICS_EXPORTER ??= 'none';
    env.OTEL_LOGS_EXPORTER ??= 'none';
  }

  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer();
  const instrumentations: Instrumentation[] = options.instrumentations === false ? [] : palabreInstrumentations();
  const spanProcessors: SpanProcessor[] = [
    ...(exportsTraces ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] : []),
    ...(options.spanProcessors ?? []),
  ];
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    instrumentations,
    // Without a processor the SDK registers no tracer, and events would carry no trace context.
    spanProcessors: spanProcessors.length > 0 ? spanProcessors : [new NoopSpanProcessor()],
    metricReaders: [prometheus],
    // Logs go to stdout as JSON lines (see logger.ts), not through the OpenTelemetry log SDK.
    logRecordProcessors: [],
  });
  sdk.start();
  const enabled = !isSdkDisabled(env.OTEL_SDK_DISABLED);
  registerPalabreInstruments();

  const telemetry: Telemetry = {
    serviceName: options.serviceName,
    exportsTraces,
    async metricsText() {
      if (!enabled) return '# telemetry disabled (OTEL_SDK_DISABLED)\n';
      const { resourceMetrics, errors } = await prometheus.collect();
      if (errors.length > 0) diag.error('metrics collection errors', ...errors);
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      if (running !== telemetry) return;
      running = undefined;
      for (const instrumentation of instrumentations) instrumentation.disable();
      try {
        await sdk.shutdown();
      } finally {
        trace.disable();
        metricsApi.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
  running = telemetry;
  return telemetry;
}

function isSdkDisabled(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}
