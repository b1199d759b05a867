import type { SmsGateway, SmsMessage } from './sms.js';

export interface SentSms extends SmsMessage {
  sentAt: string;
}

/**
 * Where messages go when no aggregator is configured (development, demos, a pilot before its SMS
 * contract): kept in memory, the last 200, for staff to read in the console. Nothing is logged.
 */
export class DevelopmentSmsGateway implements SmsGateway {
  readonly description = 'development gateway (messages shown to staff in the console, none sent)';
  private readonly sent: SentSms[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async send(message: SmsMessage): Promise<{ providerId: string | null }> {
    this.sent.push({ ...message, sentAt: this.now().toISOString() });
    if (this.sent.length > 200) this.sent.shift();
    return { providerId: null };
  }

  /** Newest first. */
  messages(): readonly SentSms[] {
    return [...this.sent].reverse();
  }
}
