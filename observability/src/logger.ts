import { trace } from '@opentelemetry/api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Where lines go; `process.stdout` and `process.stderr` by default. */
export interface LineSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  /** Minimum level, or 'silent'; default `LOG_LEVEL` from the environment, else 'info'. */
  level?: LogLevel | 'silent';
  /** Fields added to every entry (component, projector name …). */
  fields?: LogFields;
  stdout?: LineSink;
  stderr?: LineSink;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const SEVERITY: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const RESERVED = new Set(['time', 'level', 'msg', 'trace_id', 'span_id']);

/** One JSON line per entry: time, level, msg, trace_id/span_id of the active span, then fields. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (SEVERITY[level] < SEVERITY[options.level ?? levelFromEnv()]) return;
    const line = render(level, msg, { ...options.fields, ...fields });
    const sink = level === 'warn' || level === 'error' ? (options.stderr ?? process.stderr) : (options.stdout ?? process.stdout);
    sink.write(line + '\n');
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...options.fields, ...fields } }),
  };
}

/** The process logger; level from `LOG_LEVEL` (debug, info, warn, error, silent). */
export const logger: Logger = createLogger();

// Read at each entry so tests and operators can change LOG_LEVEL without re-importing.
function levelFromEnv(): LogLevel | 'silent' {
  const value = process.env.LOG_LEVEL?.trim().toLowerCase();
  return value !== undefined && value in SEVERITY ? (value as LogLevel | 'silent') : 'info';
}

function render(level: LogLevel, msg: string, fields: LogFields): string {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && trace.isSpanContextValid(spanContext)) {
    entry.trace_id = spanContext.traceId;
    entry.span_id = spanContext.spanId;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (!RESERVED.has(key)) entry[key] = value;
  }
  try {
    return JSON.stringify(entry, jsonSafe());
  } catch (error) {
    // A throwing toJSON must not take the process down with it.
    return JSON.stringify({ time: entry.time, level, msg, log_error: `unserializable fields: ${String(error)}` });
  }
}

/** Errors as name/message/stack, bigints as strings, cycles (and repeated objects) cut. */
function jsonSafe(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) {
      const { name, message, stack } = value;
      const extra = Object.fromEntries(Object.entries(value));
      return { ...extra, name, message, stack, ...(value.cause !== undefined ? { cause: value.cause } : {}) };
    }
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}
