import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidEventDataError, UnknownEventTypeError } from './errors.js';
import { UpcasterRegistry, createEventParser } from './upcasting.js';

// A test-only catalog: a meter reading whose shape changed twice.
const schemas = {
  MeterRead: z.object({ meterId: z.string(), litres: z.number().int().min(0), readBy: z.string() }),
  MeterRemoved: z.object({ meterId: z.string() }),
};
const versions = { MeterRead: 3, MeterRemoved: 1 };

function catalog() {
  const upcasters = new UpcasterRegistry()
    // v1 counted cubic metres; v2 counts litres.
    .register('MeterRead', 1, (data) => {
      const { cubicMetres, ...rest } = data as { cubicMetres: number };
      return { ...rest, litres: Math.round(cubicMetres * 1000) };
    })
    // v3 records who read the meter; earlier readings were all by the water company.
    .register('MeterRead', 2, (data) => ({ ...(data as object), readBy: 'camwater' }));
  return createEventParser({ schemas, versions, upcasters });
}

describe('reading stored events', () => {
  it('upcasts a v1 event through every step to the current version', () => {
    const parse = catalog();
    expect(parse({ type: 'MeterRead', schemaVersion: 1, data: { meterId: 'm-1', cubicMetres: 1.25 } })).toEqual({
      type: 'MeterRead',
      data: { meterId: 'm-1', litres: 1250, readBy: 'camwater' },
    });
  });

  it('upcasts a v2 event through the remaining step only', () => {
    expect(catalog()({ type: 'MeterRead', schemaVersion: 2, data: { meterId: 'm-1', litres: 40 } }).data).toEqual({
      meterId: 'm-1',
      litres: 40,
      readBy: 'camwater',
    });
  });

  it('reads a current-version event as it is', () => {
    expect(catalog()({ type: 'MeterRemoved', schemaVersion: 1, data: { meterId: 'm-1' } })).toEqual({ type: 'MeterRemoved', data: { meterId: 'm-1' } });
  });

  it('refuses a type it does not know, including names inherited from Object', () => {
    expect(() => catalog()({ type: 'MeterStolen', schemaVersion: 1, data: {} })).toThrow(UnknownEventTypeError);
    expect(() => catalog()({ type: 'constructor', schemaVersion: 1, data: {} })).toThrow(UnknownEventTypeError);
  });

  it('refuses a version newer than this code, rather than misreading it', () => {
    const error = captured(() => catalog()({ type: 'MeterRead', schemaVersion: 4, data: {} }));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({ eventType: 'MeterRead', schemaVersion: 4 });
  });

  it('refuses a version with no upcaster path', () => {
    const parse = createEventParser({ schemas, versions, upcasters: new UpcasterRegistry() });
    expect(() => parse({ type: 'MeterRead', schemaVersion: 1, data: { meterId: 'm-1', cubicMetres: 1 } })).toThrow(UnknownEventTypeError);
  });

  it('reports every bad field with its path after upcasting', () => {
    const error = captured(() => catalog()({ type: 'MeterRead', schemaVersion: 1, data: { meterId: 7, cubicMetres: -1 } }));
    expect(error).toBeInstanceOf(InvalidEventDataError);
    expect((error as InvalidEventDataError).issues.map((i) => i.path)).toEqual(['meterId', 'litres']);
  });
});

describe('the upcaster registry', () => {
  it('refuses two upcasters for the same step', () => {
    const registry = new UpcasterRegistry().register('MeterRead', 1, (d) => d);
    expect(() => registry.register('MeterRead', 1, (d) => d)).toThrow(/already registered/);
  });

  it('refuses versions below 1', () => {
    expect(() => new UpcasterRegistry().register('MeterRead', 0, (d) => d)).toThrow(/start at 1/);
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
