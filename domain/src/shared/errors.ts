/** A business rule refused the command. `code` is stable (clients switch on it); `message` is for people. */
export class DomainRuleError extends Error {
  override readonly name = 'DomainRuleError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An event read back from the log whose type or version this code does not know. */
export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';
  constructor(
    readonly eventType: string,
    readonly schemaVersion?: number,
  ) {
    super(`Unknown event type ${eventType}${schemaVersion === undefined ? '' : ` v${schemaVersion}`}`);
  }
}

/** An event read back from the log whose data does not match its schema. */
export class InvalidEventDataError extends Error {
  override readonly name = 'InvalidEventDataError';
  constructor(
    readonly eventType: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`Invalid ${eventType}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
