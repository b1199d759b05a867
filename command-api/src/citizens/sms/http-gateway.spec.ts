import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { DevelopmentSmsGateway } from './development-gateway.js';
import { HttpSmsGateway } from './http-gateway.js';
import { SmsDeliveryError } from './sms.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A local HTTP server playing the aggregator: each test says how it answers, it records what it got. */
let aggregator: Server;
let url: string;
let received: Received[];
let answer: (response: ServerResponse, attempt: number) => void;

beforeAll(async () => {
  aggregator = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(text) });
      answer(response, received.length);
    });
  });
  await new Promise<void>((resolve) => aggregator.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(aggregator.address() as AddressInfo).port}/sms/send`;
});
afterAll(() => {
  aggregator.closeAllConnections();
  return new Promise<void>((resolve) => aggregator.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});

const message = { to: '+237677123456', text: '482913 : votre code Palabre', reference: 'otp-1' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

describe('the HTTP SMS gateway, against a local server playing the aggregator', () => {
  it('posts the message as JSON with basic credentials and returns the aggregator id', async () => {
    answer = json(201, { messageId: 'agg-77' });
    const gateway = new HttpSmsGateway({ url, username: 'soa', password: 's3cret', sender: 'MAIRIE-SOA' });
    await expect(gateway.send(message)).resolves.toEqual({ providerId: 'agg-77' });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toEqual({ from: 'MAIRIE-SOA', to: '+237677123456', text: message.text, reference: 'otp-1' });
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('soa:s3cret').toString('base64')}`);
    expect(received[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends a bearer token when one is configured', async () => {
    answer = json(200, { id: 12 });
    await new HttpSmsGateway({ url, token: 'tok-1', sender: 'Palabre' }).send(message);
    expect(received[0]!.headers.authorization).toBe('Bearer tok-1');
  });

  it('tries again after a 503 and succeeds', async () => {
    answer = (response, attempt) => (attempt === 1 ? json(503, { error: 'busy' })(response) : json(200, { id: 'ok-2' })(response));
    await expect(new HttpSmsGateway({ url, sender: 'Palabre', backoffMs: 10 }).send(message)).resolves.toEqual({ providerId: 'ok-2' });
    expect(received).toHaveLength(2);
  });

  it('waits what a 429 Retry-After asks, then gives up as temporary after its retries', async () => {
    answer = json(429, { error: 'slow down' }, { 'retry-after': '1' });
    const started = Date.now();
    const failure = await new HttpSmsGateway({ url, sender: 'Palabre', retries: 1 }).send(message).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(failure).toBeInstanceOf(SmsDeliveryError);
    expect(failure).toMatchObject({ temporary: true, status: 429 });
    expect(received).toHaveLength(2);
  });

  it('does not retry a refusal (bad credentials, a number it will not serve), and never repeats the code in the error', async () => {
    // A careless aggregator echoes the request in its error; the code must not reach our logs through it.
    answer = (response) => json(400, { error: 'invalid destination', request: { text: message.text } })(response);
    const failure = (await new HttpSmsGateway({ url, sender: 'Palabre' }).send(message).catch((e: unknown) => e)) as SmsDeliveryError;
    expect(failure).toMatchObject({ temporary: false, status: 400 });
    expect(failure.message).toContain('invalid destination');
    expect(failure.message).not.toContain('482913');
    expect(received).toHaveLength(1);
  });

  it('reports an aggregator that does not answer in time as temporary', async () => {
    answer = () => undefined; // never answers
    const failure = await new HttpSmsGateway({ url, sender: 'Palabre', timeoutMs: 200, retries: 0 }).send(message).catch((e: unknown) => e);
    expect(failure).toMatchObject({ temporary: true, message: 'The SMS gateway did not answer in time' });
  });

  it('reports an aggregator that cannot be reached as temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await new HttpSmsGateway({ url: `http://127.0.0.1:${port}/`, sender: 'Palabre', retries: 0 }).send(message).catch((e: unknown) => e);
    expect(failure).toMatchObject({ temporary: true });
    expect((failure as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });

  it('refuses a URL with credentials in it, which would end up in logs', () => {
    expect(() => new HttpSmsGateway({ url: 'https://user:pw@sms.example/send', sender: 'Palabre' })).toThrow(/must not carry credentials/);
    expect(new HttpSmsGateway({ url, sender: 'Palabre' }).description).toBe(`HTTP gateway at ${new URL(url).origin}/sms/send`);
  });

  it('is configured from the environment; without SMS_GATEWAY_URL there is no aggregator', () => {
    expect(loadConfig({ SMS_GATEWAY_URL: url, SMS_GATEWAY_TOKEN: 't', SMS_SENDER: 'MAIRIE' }).sms).toMatchObject({ url, token: 't', sender: 'MAIRIE' });
    expect(loadConfig({}).sms).toBeNull();
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'ftp://sms.example' })).toThrow(/SMS_GATEWAY_URL/);
  });
});

describe('the development gateway', () => {
  it('keeps the messages for staff to read, newest first, and the last 200 only', async () => {
    const gateway = new DevelopmentSmsGateway(() => new Date('2027-03-01T10:00:00Z'));
    for (let i = 0; i < 205; i++) await gateway.send({ ...message, reference: `otp-${i}` });
    const kept = gateway.messages();
    expect(kept).toHaveLength(200);
    expect(kept[0]).toEqual({ ...message, reference: 'otp-204', sentAt: '2027-03-01T10:00:00.000Z' });
    expect(kept.at(-1)!.reference).toBe('otp-5');
  });
});
