import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from './metrics.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

// This file owns the process-wide providers while it runs; shutdown unregisters them for the next file.
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'metrics-spec', instrumentations: false });
});
afterAll(() => telemetry.shutdown());

/** The sample lines of one metric, labels and scope info included. */
async function samples(name: string): Promise<string[]> {
  const text = await telemetry.metricsText();
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('Prometheus metrics', () => {
  it('counts HTTP requests and buckets their latency in seconds', async () => {
    metrics.httpRequest('post', '/tickets', 201, 42);
    metrics.httpRequest('POST', '/tickets', 201, 180);
    metrics.httpRequest('GET', '/tickets/:id', 404, 3);

    expect(await samples('palabre_http_requests_total')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^palabre_http_requests_total\{method="POST",route="\/tickets",status="201",.*\} 2$/),
        expect.stringMatching(/^palabre_http_requests_total\{method="GET",route="\/tickets\/:id",status="404",.*\} 1$/),
      ]),
    );
    const latency = await samples('palabre_http_request_duration_seconds_bucket');
    expect(latency).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/route="\/tickets",.*le="0\.025"\} 0$/),
        expect.stringMatching(/route="\/tickets",.*le="0\.05"\} 1$/),
        expect.stringMatching(/route="\/tickets",.*le="0\.25"\} 2$/),
      ]),
    );
    expect(await samples('palabre_http_request_duration_seconds_sum')).toEqual(
      expect.arrayContaining([expect.stringMatching(/route="\/tickets",.*\} 0\.222$/)]),
    );
  });

  it('counts commands by type and outcome, and appended events by store', async () => {
    metrics.commandExecuted('ReportTicket', 'accepted', 25);
    metrics.commandExecuted('AssignTicket', 'rejected', 4);
    metrics.eventsAppended(3, 'postgres');
    metrics.eventsAppended(2, 'postgres');
    metrics.eventsAppended(0, 'postgres');

    expect(await samples('palabre_commands_total')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/command="ReportTicket",outcome="accepted",.*\} 1$/),
        expect.stringMatching(/command="AssignTicket",outcome="rejected",.*\} 1$/),
      ]),
    );
    expect(await samples('palabre_command_duration_seconds_count')).toHaveLength(2);
    expect(await samples('palabre_events_appended_total')).toEqual([expect.stringMatching(/store="postgres",.*\} 5$/)]);
  });

  it('reports the last projection lag of each projector', async () => {
    metrics.setProjectionLag('tickets', 120, 4.5);
    metrics.setProjectionLag('dispatch-board', 0, 0);
    metrics.setProjectionLag('tickets', 7, 0.25);

    expect(await samples('palabre_projection_lag_events')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/projector="tickets",.*\} 7$/),
        expect.stringMatching(/projector="dispatch-board",.*\} 0$/),
      ]),
    );
    expect(await samples('palabre_projection_lag_seconds')).toEqual(
      expect.arrayContaining([expect.stringMatching(/projector="tickets",.*\} 0\.25$/)]),
    );
  });

  it('follows connected sockets and counts emits by event', async () => {
    metrics.setConnectedSockets(2);
    metrics.socketConnected();
    metrics.socketConnected();
    metrics.socketDisconnected();
    metrics.socketEmitted('ticket:updated', 3);
    metrics.socketEmitted('ticket:updated');

    expect(await samples('palabre_sockets_connected')).toEqual([expect.stringMatching(/ 3$/)]);
    expect(await samples('palabre_socket_emits_total')).toEqual([expect.stringMatching(/event="ticket:updated",.*\} 4$/)]);
  });

  it('declares types and help so Prometheus reads counters and histograms right', async () => {
    const text = await telemetry.metricsText();
    expect(text).toContain('# TYPE palabre_http_requests_total counter');
    expect(text).toContain('# TYPE palabre_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE palabre_projection_lag_events gauge');
    expect(text).toMatch(/# HELP palabre_events_appended_total .+/);
    expect(text).toMatch(/^target_info\{.*service_name="metrics-spec".*\} 1$/m);
  });
});

describe('telemetry lifecycle', () => {
  it('returns the running instance when started twice', () => {
    expect(startTelemetry({ serviceName: 'someone-else' })).toBe(telemetry);
  });

  it('starts afresh after a shutdown, with instruments bound to the new provider', async () => {
    await telemetry.shutdown();
    telemetry = startTelemetry({ serviceName: 'metrics-spec-restarted', instrumentations: false });

    metrics.eventsAppended(1, 'kurrentdb');
    expect(await samples('palabre_events_appended_total')).toEqual([expect.stringMatching(/store="kurrentdb",.*\} 1$/)]);
    expect(await samples('palabre_sockets_connected')).toEqual([expect.stringMatching(/ 3$/)]);
  });
});
