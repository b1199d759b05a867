import { metrics as metricsApi, ValueType, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';

const METER_NAME = '@palabre/observability';
// From 5 ms (a cached read) to 10 s (a slow append under contention), in seconds.
const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Instruments {
  provider: MeterProvider;
  httpRequests: Counter;
  httpDuration: Histogram;
  commands: Counter;
  commandDuration: Histogram;
  eventsAppended: Counter;
  socketEmits: Counter;
}

// Last reported values, read by the observable gauges at each scrape.
const projectionLag = new Map<string, { events: number; seconds: number }>();
let connectedSockets = 0;
let instruments: Instruments | undefined;

/** Instruments of the current global meter provider (rebuilt if telemetry restarted). */
function current(): Instruments {
  const provider = metricsApi.getMeterProvider();
  if (instruments?.provider === provider) return instruments;
  instruments = createInstruments(provider);
  return instruments;
}

function createInstruments(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(METER_NAME);
  const durationAdvice = { advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS } };

  meter
    .createObservableGauge('palabre_projection_lag_events', {
      description: 'Events in the log not yet applied by the projector',
      valueType: ValueType.INT,
    })
    .addCallback((result) => {
      for (const [projector, lag] of projectionLag) result.observe(lag.events, { projector });
    });
  meter
    .createObservableGauge('palabre_projection_lag_seconds', {
      description: 'Age of the oldest event not yet applied by the projector',
      unit: 's',
    })
    .addCallback((result) => {
      for (const [projector, lag] of projectionLag) result.observe(lag.seconds, { projector });
    });
  meter
    .createObservableGauge('palabre_sockets_connected', {
      description: 'Live socket.io connections on this process',
      valueType: ValueType.INT,
    })
    .addCallback((result) => result.observe(connectedSockets));

  return {
    provider,
    httpRequests: meter.createCounter('palabre_http_requests_total', {
      description: 'HTTP requests handled, by method, route template and status',
      valueType: ValueType.INT,
    }),
    httpDuration: meter.createHistogram('palabre_http_request_duration_seconds', {
      description: 'HTTP request latency, by method, route template and status',
      unit: 's',
      ...durationAdvice,
    }),
    commands: meter.createCounter('palabre_commands_total', {
      description: 'Commands executed, by command type and outcome',
      valueType: ValueType.INT,
    }),
    commandDuration: meter.createHistogram('palabre_command_duration_seconds', {
      description: 'Command latency from validation to durable append, by command type and outcome',
      unit: 's',
      ...durationAdvice,
    }),
    eventsAppended: meter.createCounter('palabre_events_appended_total', {
      description: 'Events durably appended to the log, by store',
      valueType: ValueType.INT,
    }),
    socketEmits: meter.createCounter('palabre_socket_emits_total', {
      description: 'Messages pushed to socket.io rooms, by event name',
      valueType: ValueType.INT,
    }),
  };
}

/**
 * Palabre's own instruments. Label values must stay few: pass route templates
 * (`/tickets/:id`), command and event type names, never ids.
 */
export const metrics = {
  /** One HTTP request; `route` is the route template, not the concrete path. */
  httpRequest(method: string, route: string, status: number, durationMs: number): void {
    const { httpRequests, httpDuration } = current();
    const labels = { method: method.toUpperCase(), route, status: String(status) };
    httpRequests.add(1, labels);
    httpDuration.record(durationMs / 1000, labels);
  },

  /** One command; `outcome` is e.g. 'accepted', 'rejected', 'conflict', 'invalid', 'failed'. */
  commandExecuted(commandType: string, outcome: string, durationMs: number): void {
    const { commands, commandDuration } = current();
    const labels = { command: commandType, outcome };
    commands.add(1, labels);
    commandDuration.record(durationMs / 1000, labels);
  },

  /** Events made durable by one append; `store` names the adapter ('postgres', 'kurrentdb'). */
  eventsAppended(count: number, store: string): void {
    if (count > 0) current().eventsAppended.add(count, { store });
  },

  /** The projector's distance to the head of the log, reported after each batch or poll. */
  setProjectionLag(projector: string, events: number, seconds: number): void {
    current();
    projectionLag.set(projector, { events: Math.max(0, events), seconds: Math.max(0, seconds) });
  },

  setConnectedSockets(count: number): void {
    current();
    connectedSockets = Math.max(0, count);
  },

  socketConnected(): void {
    current();
    connectedSockets += 1;
  },

  socketDisconnected(): void {
    current();
    connectedSockets = Math.max(0, connectedSockets - 1);
  },

  /** `count` messages pushed for one event (one per room it went to). */
  socketEmitted(event: string, count = 1): void {
    if (count > 0) current().socketEmits.add(count, { event });
  },
};

/** Creates the instruments now so gauges appear at the first scrape, before any traffic. */
export function registerPalabreInstruments(): void {
  current();
}
