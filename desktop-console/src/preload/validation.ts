import { type DeepLink, type ExportKind, type SaveFileRequest, type UrgentNotification, exportKinds } from '../shared/bridge.js';

/**
 * Argument checks for the preload bridge. They run twice: in the preload before anything crosses
 * IPC, and in main on receipt, because main must not trust a renderer that may be compromised.
 * Pure functions: no Electron here, so they are unit-tested in Node.
 */

export class BridgeArgumentError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'BridgeArgumentError';
  }
}

/** Exports above this size are refused: the console never produces them and IPC would choke. */
export const maxExportBytes = 64 * 1024 * 1024;
const ticketIdPattern = /^[A-Za-z0-9._:-]{1,120}$/;
// Control characters, path separators and characters Windows forbids in file names.
const unsafeFileNameChars = /[\u0000-\u001f\u007f<>:"/\\|?*]/;
const reservedWindowsNames = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

function record(input: unknown, path: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new BridgeArgumentError(path, 'expected an object');
  return input as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new BridgeArgumentError(`${path}.${key}`, 'unexpected property');
  }
}

function text(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') throw new BridgeArgumentError(path, 'expected a string');
  if (value.length < min || value.length > max) throw new BridgeArgumentError(path, `expected ${min} to ${max} characters`);
  return value;
}

export function isExportKind(value: unknown): value is ExportKind {
  return typeof value === 'string' && Object.hasOwn(exportKinds, value);
}

/** A bare file name with the extension of its kind (added when missing). */
export function safeFileName(name: string, kind: ExportKind, path = 'suggestedName'): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === '.' || trimmed === '..') throw new BridgeArgumentError(path, 'expected a file name');
  if (unsafeFileNameChars.test(trimmed)) throw new BridgeArgumentError(path, 'must be a bare file name without separators or control characters');
  if (reservedWindowsNames.test(trimmed)) throw new BridgeArgumentError(path, 'is a reserved device name');
  const extension = `.${exportKinds[kind].extension}`;
  return trimmed.toLowerCase().endsWith(extension) ? trimmed : `${trimmed}${extension}`;
}

export function validateSaveFileRequest(input: unknown): SaveFileRequest {
  const value = record(input, 'request');
  onlyKeys(value, ['suggestedName', 'kind', 'content'], 'request');
  if (!isExportKind(value.kind)) throw new BridgeArgumentError('request.kind', `expected one of ${Object.keys(exportKinds).join(', ')}`);
  const suggestedName = safeFileName(text(value.suggestedName, 'request.suggestedName', 1, 200), value.kind, 'request.suggestedName');
  if (typeof value.content !== 'string') throw new BridgeArgumentError('request.content', 'expected a string');
  // UTF-16 length is a cheap upper bound on bytes / 3; the exact check uses the encoder.
  if (value.content.length > maxExportBytes || new TextEncoder().encode(value.content).byteLength > maxExportBytes) {
    throw new BridgeArgumentError('request.content', `larger than ${maxExportBytes} bytes`);
  }
  return { suggestedName, kind: value.kind, content: value.content };
}

export function validateUrgentNotification(input: unknown): UrgentNotification {
  const value = record(input, 'notification');
  onlyKeys(value, ['title', 'body', 'ticketId'], 'notification');
  const title = text(value.title, 'notification.title', 1, 120).trim();
  const body = text(value.body, 'notification.body', 0, 500);
  if (title === '') throw new BridgeArgumentError('notification.title', 'expected a title');
  if (value.ticketId === undefined) return { title, body };
  if (typeof value.ticketId !== 'string' || !ticketIdPattern.test(value.ticketId)) {
    throw new BridgeArgumentError('notification.ticketId', 'expected a ticket id');
  }
  return { title, body, ticketId: value.ticketId };
}

/** `palabre://ticket/{id}` → the ticket; anything else (other hosts, paths, credentials) → null. */
export function parseDeepLink(input: unknown): DeepLink | null {
  if (typeof input !== 'string' || input.length > 300) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'palabre:' || url.hostname !== 'ticket' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  const match = /^\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return null;
  let ticketId: string;
  try {
    ticketId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return ticketIdPattern.test(ticketId) && !/^\.+$/.test(ticketId) ? { ticketId } : null;
}

/** The first deep link among process arguments (Windows and Linux pass it on the command line). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}

export function validateDeepLinkListener(input: unknown): (link: DeepLink) => void {
  if (typeof input !== 'function') throw new BridgeArgumentError('listener', 'expected a function');
  return input as (link: DeepLink) => void;
}
