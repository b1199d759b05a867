import { describe, expect, it } from 'vitest';
import { eventIdFor, isUuid } from './ids.js';

describe('eventIdFor', () => {
  it('is the RFC 9562 version-5 UUID of "<commandId>#<index>" in the Palabre namespace', () => {
    // Reference values from Python: uuid.uuid5(UUID('c2705f53-…'), 'cmd-42#0')
    expect(eventIdFor('cmd-42', 0)).toBe('692a5956-6770-537e-aa41-eab192341dd4');
    expect(eventIdFor('cmd-42', 1)).toBe('16c027a4-d90c-5b54-9fe5-287a1abb0d29');
  });

  it('gives a retried command the same ids and other commands or positions different ones', () => {
    expect(eventIdFor('cmd-7', 2)).toBe(eventIdFor('cmd-7', 2));
    const ids = new Set(['cmd-7', 'cmd-8', 'cmd-70'].flatMap((command) => [0, 1, 2].map((i) => eventIdFor(command, i))));
    expect(ids.size).toBe(9);
    for (const id of ids) expect(isUuid(id)).toBe(true);
  });

  it('refuses an empty command id or a negative index', () => {
    expect(() => eventIdFor('', 0)).toThrow(RangeError);
    expect(() => eventIdFor('cmd-1', -1)).toThrow(RangeError);
    expect(() => eventIdFor('cmd-1', 1.5)).toThrow(RangeError);
  });
});
