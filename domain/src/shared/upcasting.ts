import type { z } from 'zod';
import { InvalidEventDataError, UnknownEventTypeError } from './errors.js';

/** Turns the data of one schema version into the data of the next one. */
export type Upcaster = (data: unknown) => unknown;

/** An event as the log hands it back: type, raw data and the schema version it was written with. */
export interface StoredEventData {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion: number;
}

/** Upcasters by event type and source version; instantiate one per catalog (or per test). */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new Error(`Upcaster versions start at 1, got ${fromVersion}`);
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    this.steps.set(key, upcast);
    return this;
  }

  has(type: string, fromVersion: number): boolean {
    return this.steps.has(`${type}@${fromVersion}`);
  }

  /** Applies each step from `fromVersion` to `toVersion`; a missing step means this code cannot read that version. */
  upcast(type: string, fromVersion: number, toVersion: number, data: unknown): unknown {
    let current = data;
    for (let version = fromVersion; version < toVersion; version++) {
      const step = this.steps.get(`${type}@${version}`);
      if (!step) throw new UnknownEventTypeError(type, fromVersion);
      current = step(current);
    }
    return current;
  }
}

export type ParsedEvent<S extends Record<string, z.ZodType>> = {
  [K in keyof S & string]: { type: K; data: z.output<S[K]> };
}[keyof S & string];

export interface EventCatalog<S extends Record<string, z.ZodType>> {
  readonly schemas: S;
  /** Current version per type: what the schemas describe. */
  readonly versions: Readonly<Record<keyof S & string, number>>;
  readonly upcasters: UpcasterRegistry;
}

/** Builds the function that reads stored events: upcast to the current version, then validate. */
export function createEventParser<S extends Record<string, z.ZodType>>(catalog: EventCatalog<S>): (raw: StoredEventData) => ParsedEvent<S> {
  return (raw) => {
    if (!Object.hasOwn(catalog.schemas, raw.type)) throw new UnknownEventTypeError(raw.type);
    const type = raw.type as keyof S & string;
    const current = catalog.versions[type];
    if (!Number.isInteger(raw.schemaVersion) || raw.schemaVersion < 1 || raw.schemaVersion > current) {
      // A newer version was written by newer code: refuse rather than misread it.
      throw new UnknownEventTypeError(raw.type, raw.schemaVersion);
    }
    const upcast = catalog.upcasters.upcast(type, raw.schemaVersion, current, raw.data);
    const result = catalog.schemas[type]!.safeParse(upcast);
    if (!result.success) {
      throw new InvalidEventDataError(
        raw.type,
        result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(data)', message: issue.message })),
      );
    }
    return { type, data: result.data } as ParsedEvent<S>;
  };
}

/** Every event type of a catalog at its first version: what a new aggregate's `eventVersions` starts as. */
export const firstVersions = <K extends string>(schemas: Readonly<Record<K, unknown>>): Record<K, number> =>
  Object.fromEntries(Object.keys(schemas).map((type) => [type, 1])) as Record<K, number>;
