import { setTimeout as sleep } from 'node:timers/promises';
import { SmsDeliveryError, type SmsGateway, type SmsMessage } from './sms.js';

export interface HttpSmsGatewayOptions {
  /** The aggregator's send endpoint (`SMS_GATEWAY_URL`). */
  url: string;
  /** Basic credentials (`SMS_GATEWAY_USER` and `SMS_GATEWAY_PASSWORD`) or a bearer token (`SMS_GATEWAY_TOKEN`). */
  username?: string;
  password?: string;
  token?: string;
  /** The sender name or short code the aggregator registered for the commune (`SMS_SENDER`). */
  sender: string;
  timeoutMs?: number;
  /** Further tries after a temporary failure, waiting `backoffMs`, then twice that, or what Retry-After asks (capped). */
  retries?: number;
  backoffMs?: number;
}

/**
 * An HTTP SMS aggregator: POST JSON `{ from, to, text, reference }`, 2xx means accepted, and an `id` or
 * `messageId` in the answer is the aggregator's own reference. Most aggregators of the region (or a small
 * relay in front of one) take this shape. Temporary failures are retried a little, then reported; the
 * caller decides what the person sees.
 */
export class HttpSmsGateway implements SmsGateway {
  readonly description: string;
  private readonly authorization: string | null;

  constructor(private readonly options: HttpSmsGatewayOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`SMS_GATEWAY_URL must be an http(s) URL, not ${url.protocol}`);
    if (url.username || url.password) throw new Error('SMS_GATEWAY_URL must not carry credentials; set SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD');
    if (options.token) this.authorization = `Bearer ${options.token}`;
    else if (options.username) this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    else this.authorization = null;
    this.description = `HTTP gateway at ${url.origin}${url.pathname}`;
  }

  async send(message: SmsMessage): Promise<{ providerId: string | null }> {
    const retries = this.options.retries ?? 2;
    let wait = this.options.backoffMs ?? 1_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.post(message);
      } catch (error) {
        const failure = error instanceof SmsDeliveryError ? error : new SmsDeliveryError(`The SMS gateway could not be reached (${(error as Error).message})`, true);
        if (!failure.temporary || attempt >= retries) throw failure;
        await sleep(Math.min(failure instanceof RetryLater ? failure.afterMs : wait, 10_000));
        wait *= 2;
      }
    }
  }

  private async post(message: SmsMessage): Promise<{ providerId: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ from: this.options.sender, to: message.to, text: message.text, reference: message.reference }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new SmsDeliveryError(timedOut ? 'The SMS gateway did not answer in time' : `The SMS gateway could not be reached (${causeOf(error)})`, true);
    }
    const body = await response.text().catch(() => '');
    if (response.ok) return { providerId: providerIdIn(body) };
    const detail = `The SMS gateway answered ${response.status}${summary(body, message.text)}`;
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryLater(detail, response.status, retryAfter * 1_000);
      throw new SmsDeliveryError(detail, true, response.status);
    }
    throw new SmsDeliveryError(detail, false, response.status);
  }
}

class RetryLater extends SmsDeliveryError {
  constructor(
    message: string,
    status: number,
    readonly afterMs: number,
  ) {
    super(message, true, status);
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function providerIdIn(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; messageId?: unknown };
    const id = parsed.id ?? parsed.messageId;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/** The aggregator's own words help an operator; an echo of our text (with its code) must not reach a log. */
function summary(body: string, text: string): string {
  const short = body.replaceAll(text, '[message]').replace(/\s+/g, ' ').trim().slice(0, 200);
  return short ? `: ${short}` : '';
}
