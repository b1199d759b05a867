import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors.ts';
import type { ReportRequest } from '../api/types.ts';
import type { ApiClient } from '../api/client.ts';
import { apiTransport, classifyFailure, upgradeEntry } from './api-transport.ts';

describe('classifying failures', () => {
  it.each([
    [new NetworkError('offline'), { retry: true, code: 'network' }],
    [new ApiError({ status: 503, code: 'http.503' }), { retry: true, code: 'http.503' }],
    [new ApiError({ status: 429, code: 'rate.limited' }), { retry: true, code: 'rate.limited' }],
    [new ApiError({ status: 400, code: 'validation.failed' }), { retry: false, code: 'validation.failed' }],
    [new ApiError({ status: 409, code: 'idempotency_key.conflict' }), { retry: false, code: 'idempotency_key.conflict' }],
    [new Error('QuotaExceededError'), { retry: true, code: 'unknown' }],
  ])('%s → %o', (error, expected) => {
    expect(classifyFailure(error)).toEqual(expected);
  });
});

describe('reports queued before an update', () => {
  const report: ReportRequest = {
    category: 'reseaux',
    subcategory: 'fuite-eau',
    description: "L'eau coule sur la route",
    location: { lat: 5.452, lon: 10.051 },
    anonymous: false,
    confidential: false,
    clientTime: '2026-11-23T08:00:00+01:00',
  };
  const waiting = { key: 'r-1', photos: [], queuedAt: 1, state: 'waiting', attempts: 2, nextAttemptAt: 3, lastError: 'network' } as const;

  it('become report requests with their key, photos and attempts kept', () => {
    expect(upgradeEntry({ ...waiting, report })).toEqual({ ...waiting, request: { kind: 'report', report } });
  });

  it('are left as they are once upgraded', () => {
    const upgraded = { ...waiting, request: { kind: 'report' as const, report } };
    expect(upgradeEntry(upgraded)).toEqual(upgraded);
  });
});

describe('delivering each kind', () => {
  it('sends a proposal to the proposals with its key and the photos uploaded first, a report to the tickets', async () => {
    const calls: unknown[][] = [];
    const api = {
      submitProposal: async (...args: unknown[]) => (calls.push(['proposal', ...args]), { id: 'P0000000000AB', revision: 0 }),
      submitReport: async (...args: unknown[]) => (calls.push(['report', ...args]), { id: 'T-1', revision: 0 }),
    } as unknown as ApiClient;
    const transport = apiTransport(api);
    const proposal = { title: 'Une passerelle à Foto', description: 'Les enfants traversent à gué.', category: 'voirie', quartierId: 'dschang-foto' };
    expect(await transport.send({ kind: 'proposal', proposal }, ['m-1'], 'r-key')).toEqual({ id: 'P0000000000AB', revision: 0 });
    expect(calls).toEqual([['proposal', { ...proposal, mediaIds: ['m-1'] }, 'r-key']]);
  });
});
