import { ApiError, NetworkError, problemFrom } from './errors.ts';
import type { CitizenSession } from './session.ts';
import type {
  BallotAnswer,
  CategoryRef,
  CitizenMe,
  CommuneRef,
  ConsultationDetail,
  ConsultationResults,
  ConsultationSummary,
  ProposalRequest,
  ReceiptRecord,
  ReportRequest,
  TicketHistory,
  TicketView,
} from './types.ts';

interface RequestOptions {
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  auth?: boolean;
  /** On 2G a 200 KB upload takes half a minute; the default leaves room for that. */
  timeoutMs?: number;
  /** `no-store` for a resource whose ETag does not cover all it says (a 304 would bring back an old copy). */
  cache?: RequestCache;
}

export type CitizenAction = 'confirm' | 'confirm-resolution' | 'dispute';

/** The citizen's side of the Palabre API. Throws NetworkError when nothing answered, ApiError otherwise. */
export class ApiClient {
  readonly origin: string;
  readonly session: CitizenSession;

  constructor(origin: string, session: CitizenSession) {
    this.origin = origin;
    this.session = session;
  }

  categories = () => this.request<CategoryRef[]>('GET', '/api/categories', { auth: false });
  communes = () => this.request<CommuneRef[]>('GET', '/api/communes', { auth: false });
  myTickets = async () => (await this.request<{ items: TicketView[] }>('GET', '/api/me/tickets')).items;
  /** Tickets this phone said "me too" to. */
  ticket = (id: string) => this.request<TicketView>('GET', `/api/tickets/${encodeURIComponent(id)}`);
  timeline = (id: string) => this.request<TicketHistory>('GET', `/api/tickets/${encodeURIComponent(id)}/timeline`);

  async nearby(lat: number, lon: number, radiusMetres: number): Promise<TicketView[]> {
    const query = new URLSearchParams({ near: `${lat},${lon}`, radius: String(Math.round(radiusMetres)), limit: '100', sort: 'reportedAt', order: 'desc' });
    return (await this.request<{ items: TicketView[] }>('GET', `/api/tickets?${query}`)).items;
  }

  async uploadMedia(photo: Blob): Promise<string> {
    const form = new FormData();
    form.append('file', photo, photo.type === 'image/webp' ? 'photo.webp' : 'photo.jpg');
    return (await this.request<{ mediaId: string }>('POST', '/api/media', { form, timeoutMs: 180_000 })).mediaId;
  }

  async submitReport(report: ReportRequest & { mediaIds: string[] }, idempotencyKey: string): Promise<{ id: string; revision: number }> {
    return this.request('POST', '/api/tickets', { body: report, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  /** The outbox's: a retry with the same key answers the same proposal. */
  submitProposal = (proposal: ProposalRequest & { mediaIds: string[] }, idempotencyKey: string) =>
    this.request<{ id: string; revision: number }>('POST', '/api/proposals', { body: proposal, headers: { 'Idempotency-Key': idempotencyKey } });

  consultations = async () => (await this.request<{ items: ConsultationSummary[] }>('GET', '/api/consultations')).items;
  consultation = (id: string) => this.request<ConsultationDetail>('GET', `/api/consultations/${encodeURIComponent(id)}`);
  results = (id: string) => this.request<ConsultationResults>('GET', `/api/consultations/${encodeURIComponent(id)}/results`);
  /** A retry with the same key answers the same receipt (a lost answer on 2G never makes a second ballot). */
  vote = (id: string, answers: Record<string, BallotAnswer>, idempotencyKey: string) =>
    this.request<{ receipt: string; ballotId: string }>('POST', `/api/consultations/${encodeURIComponent(id)}/ballots`, { body: { answers }, headers: { 'Idempotency-Key': idempotencyKey } });
  receipt = (code: string) => this.request<ReceiptRecord>('GET', `/api/receipts/${encodeURIComponent(code)}`, { auth: false });
  auditKey = () => this.request<{ keyId: string; publicKeyPem: string }>('GET', '/api/audit/public-key', { auth: false });
  me = () => this.request<CitizenMe>('GET', '/api/citizens/me');
  sendPhoneCode = (phone: string) => this.request<{ sentTo: string }>('POST', '/api/citizens/me/phone', { body: { phone } });
  verifyPhoneCode = (code: string) => this.request<{ id: string; level: CitizenMe['level']; recovered: boolean; accessToken?: string; refreshToken?: string; expiresIn?: number }>('POST', '/api/citizens/me/phone/verify', { body: { code } });
  declareResidence = (communeId: string, quartierId: string | null) =>
    this.request<CitizenMe>('PUT', '/api/citizens/me/residence', { body: quartierId ? { communeId, quartierId } : { communeId } });

  act = (id: string, action: CitizenAction, body: Record<string, unknown> = {}) =>
    this.request<{ id: string; revision: number; events?: string[] }>('POST', `/api/tickets/${encodeURIComponent(id)}/${action}`, { body });

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    let token = auth ? await this.session.accessToken() : null;
    let response = await this.send(method, path, options, token);
    if (response.status === 401 && token) {
      // Expired or revoked: one fresh token, one more try.
      token = await this.session.invalidate(token);
      response = await this.send(method, path, options, token);
    }
    if (!response.ok) throw new ApiError(await problemFrom(response));
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await fetch(this.origin + path, { method, headers, body, cache: options.cache, signal: AbortSignal.timeout(options.timeoutMs ?? 90_000) });
    } catch (error) {
      throw new NetworkError(`${method} ${path} got no answer`, { cause: error });
    }
  }
}
