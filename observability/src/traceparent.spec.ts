import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceContext, toTraceCarrier } from './traceparent.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

describe('W3C traceparent in event metadata', () => {
  it('reads a stored traceparent back as a remote, sampled span context', () => {
    const spanContext = parseTraceContext({ traceparent: `00-${traceId}-${spanId}-01` });
    expect(spanContext).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('round-trips trace id, span id, flags and tracestate', () => {
    const stored = { traceparent: `00-${traceId}-${spanId}-00`, tracestate: 'palabre=soa,vendor=x1' };
    expect(toTraceCarrier(parseTraceContext(stored))).toEqual(stored);
  });

  it('writes version 00 with two hex digits of flags', () => {
    expect(formatTraceparent({ traceId, spanId, traceFlags: TraceFlags.SAMPLED })).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('accepts fields appended by a later version of the format', () => {
    expect(parseTraceContext({ traceparent: `01-${traceId}-${spanId}-01-future` })?.traceId).toBe(traceId);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['all-zero span id', `00-${traceId}-${'0'.repeat(16)}-01`],
    ['forbidden version ff', `ff-${traceId}-${spanId}-01`],
    ['extra field on version 00', `00-${traceId}-${spanId}-01-x`],
    ['upper-case hex', `00-${traceId.toUpperCase()}-${spanId}-01`],
    ['short trace id', `00-${traceId.slice(1)}-${spanId}-01`],
  ])('ignores a malformed traceparent (%s)', (_case, traceparent) => {
    expect(parseTraceContext(traceparent === undefined ? {} : { traceparent })).toBeUndefined();
  });

  it('gives an empty carrier when there is no valid span context', () => {
    expect(toTraceCarrier(undefined)).toEqual({});
    expect(toTraceCarrier({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 })).toEqual({});
  });
});
