/** One text message to one phone (E.164). `reference` lets the aggregator's reports name our message. */
export interface SmsMessage {
  to: string;
  text: string;
  reference: string;
}

/** The port every SMS channel implements: an aggregator over HTTP in production, the console in development. */
export interface SmsGateway {
  /** Resolves once the gateway has accepted the message; rejects with an SmsDeliveryError otherwise. */
  send(message: SmsMessage): Promise<{ providerId: string | null }>;
  /** What the status page and the start log say about it (never a credential). */
  readonly description: string;
}

/**
 * The gateway did not take the message. `temporary`: worth trying later (network, timeout, 429,
 * 5xx); otherwise the request itself is wrong (credentials, a number it refuses). The message
 * never contains the text sent: it may hold a code.
 */
export class SmsDeliveryError extends Error {
  override readonly name = 'SmsDeliveryError';
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}
