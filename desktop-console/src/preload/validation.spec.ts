import { describe, expect, it } from 'vitest';
import {
  BridgeArgumentError,
  deepLinkFromArgv,
  maxExportBytes,
  parseDeepLink,
  safeFileName,
  validateDeepLinkListener,
  validateSaveFileRequest,
  validateUrgentNotification,
} from './validation.js';

const refused = (fn: () => unknown, path: string) => {
  expect(fn).toThrow(BridgeArgumentError);
  expect(fn).toThrow(new RegExp(`^${path.replace(/\./g, '\\.')}:`));
};

describe('saving an export', () => {
  it('accepts a CSV with a bare name and adds the missing extension', () => {
    expect(validateSaveFileRequest({ suggestedName: 'tickets-soa-2026-11-23', kind: 'csv', content: 'a,b\n' })).toEqual({
      suggestedName: 'tickets-soa-2026-11-23.csv',
      kind: 'csv',
      content: 'a,b\n',
    });
    expect(safeFileName('export.GEOJSON', 'geojson')).toBe('export.GEOJSON');
  });

  it('refuses names that would leave the chosen folder or are not files', () => {
    refused(() => validateSaveFileRequest({ suggestedName: '../../.bashrc', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: 'C:\\Windows\\x', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: 'a/b.csv', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: 'tick\u0000ets', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: '..', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: 'NUL.csv', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: '', kind: 'csv', content: '' }), 'request.suggestedName');
    refused(() => validateSaveFileRequest({ suggestedName: 'x'.repeat(201), kind: 'csv', content: '' }), 'request.suggestedName');
  });

  it('refuses unknown kinds, non-text content, extra properties and oversized files', () => {
    refused(() => validateSaveFileRequest({ suggestedName: 'a', kind: 'exe', content: '' }), 'request.kind');
    refused(() => validateSaveFileRequest({ suggestedName: 'a', kind: 'toString', content: '' }), 'request.kind');
    refused(() => validateSaveFileRequest({ suggestedName: 'a', kind: 'csv', content: new Uint8Array(3) }), 'request.content');
    refused(() => validateSaveFileRequest({ suggestedName: 'a', kind: 'csv', content: '', path: '/etc/passwd' }), 'request.path');
    refused(() => validateSaveFileRequest({ suggestedName: 'a', kind: 'csv', content: 'é'.repeat(maxExportBytes / 2 + 1) }), 'request.content');
    refused(() => validateSaveFileRequest(null), 'request');
    refused(() => validateSaveFileRequest(['a', 'csv', '']), 'request');
  });
});

describe('urgent notifications', () => {
  it('accepts a title, a body and an optional ticket to open', () => {
    expect(validateUrgentNotification({ title: ' Urgent ', body: 'Fuite — Soa-Centre' })).toEqual({ title: 'Urgent', body: 'Fuite — Soa-Centre' });
    expect(validateUrgentNotification({ title: 'Urgent', body: '', ticketId: 'T-01J9:x' })).toEqual({ title: 'Urgent', body: '', ticketId: 'T-01J9:x' });
  });

  it('refuses blank titles, long bodies, odd ticket ids and extra properties', () => {
    refused(() => validateUrgentNotification({ title: '   ', body: '' }), 'notification.title');
    refused(() => validateUrgentNotification({ title: 'x'.repeat(121), body: '' }), 'notification.title');
    refused(() => validateUrgentNotification({ title: 'x', body: 'y'.repeat(501) }), 'notification.body');
    refused(() => validateUrgentNotification({ title: 'x', body: '', ticketId: '../admin' }), 'notification.ticketId');
    refused(() => validateUrgentNotification({ title: 'x', body: '', ticketId: 42 }), 'notification.ticketId');
    refused(() => validateUrgentNotification({ title: 'x', body: '', icon: 'file:///etc/passwd' }), 'notification.icon');
    refused(() => validateUrgentNotification('Urgent'), 'notification');
  });
});

describe('deep links', () => {
  it('reads palabre://ticket/{id}', () => {
    expect(parseDeepLink('palabre://ticket/T01J9ABC')).toEqual({ ticketId: 'T01J9ABC' });
    expect(parseDeepLink('palabre://ticket/T01J9ABC/')).toEqual({ ticketId: 'T01J9ABC' });
    expect(parseDeepLink('palabre://ticket/a%3Ab')).toEqual({ ticketId: 'a:b' });
  });

  it('ignores other schemes, hosts, paths and credentials', () => {
    for (const url of [
      'https://ticket/T1',
      'palabre://admin/T1',
      'palabre://ticket/',
      'palabre://ticket/T1/delete',
      'palabre://user:pw@ticket/T1',
      'palabre://ticket:99/T1',
      'palabre://ticket/%2e%2e',
      'palabre://ticket/a%2Fb',
      'palabre://ticket/%2e',
      'palabre://ticket/%E0%A4%A',
      'not a url',
      `palabre://ticket/${'x'.repeat(400)}`,
      42,
    ]) {
      expect(parseDeepLink(url), String(url)).toBeNull();
    }
  });

  it('finds the link among the arguments a second instance was started with', () => {
    expect(deepLinkFromArgv(['/opt/Palabre/palabre', '--no-sandbox', 'palabre://ticket/T7'])).toEqual({ ticketId: 'T7' });
    expect(deepLinkFromArgv(['/opt/Palabre/palabre', '--flag'])).toBeNull();
  });

  it('subscribes functions only', () => {
    const listener = () => undefined;
    expect(validateDeepLinkListener(listener)).toBe(listener);
    refused(() => validateDeepLinkListener('alert(1)'), 'listener');
  });
});
