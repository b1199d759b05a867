import { ApiProblem, NetworkError } from './problem.js';
import type { LoginResponse, SessionUser } from './types.js';

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds after which the access token is refused. */
  readonly expiresAt: number;
  readonly user: SessionUser;
}

/** signed-out: nobody; active: working; expired: the refresh token was refused, sign in again. */
export type SessionState = { readonly kind: 'signed-out' } | { readonly kind: 'active'; readonly session: Session } | { readonly kind: 'expired'; readonly user: SessionUser };

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly json?: unknown;
  readonly body?: FormData;
  /** Revision the caller decided on, sent as `If-Match: "n"`. */
  readonly revision?: number;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly data: T;
  /** Revision from the ETag header, when the resource has one. */
  readonly revision: number | null;
}

const storageKey = 'palabre.session';
// Refresh a little early so a request never leaves with a token about to lapse.
const refreshMarginMs = 30_000;

export const revisionFromEtag = (etag: string | null): number | null => {
  const match = etag ? /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim()) : null;
  return match ? Number(match[1]) : null;
};

/** HTTP to the Palabre API: bearer tokens, one shared refresh, problems as ApiProblem. */
export class ApiClient {
  #state: SessionState;
  #refreshing: Promise<Session> | null = null;
  readonly #listeners = new Set<(state: SessionState) => void>();

  constructor(
    readonly baseUrl = '',
    private readonly storage: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage,
    private readonly clock: () => number = Date.now,
  ) {
    this.#state = this.#restore();
  }

  get state(): SessionState {
    return this.#state;
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async login(username: string, password: string): Promise<Session> {
    const data = await this.#send<LoginResponse>('/api/auth/login', { method: 'POST', json: { username, password } }, null);
    const session = this.#toSession(data.data);
    this.#set({ kind: 'active', session });
    return session;
  }

  logout(): void {
    this.#set({ kind: 'signed-out' });
  }

  /** A valid access token, refreshed when about to expire; throws when the session is over. */
  async accessToken(): Promise<string> {
    const state = this.#state;
    if (state.kind !== 'active') throw new ApiProblem(401, 'auth.required', 'Sign in first.');
    if (state.session.expiresAt - refreshMarginMs > this.clock()) return state.session.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** One refresh at a time: concurrent callers share it (the server rotates refresh tokens). */
  refresh(): Promise<Session> {
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const token = await this.accessToken();
    try {
      return await this.#send<T>(path, options, token);
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 401) throw error;
      // The token expired in flight (or the clock is off): refresh once and retry.
      const session = await this.refresh();
      return this.#send<T>(path, options, session.accessToken);
    }
  }

  /** Puts a photo in the media library (tickets, tally sheets): its id is what a command then names. */
  async uploadPhoto(file: Blob, name: string): Promise<{ mediaId: string; url: string; thumbnailUrl: string }> {
    const form = new FormData();
    form.append('file', file, name);
    return (await this.request<{ mediaId: string; url: string; thumbnailUrl: string }>('/api/media', { method: 'POST', body: form })).data;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>(path, signal ? { signal } : {})).data;
  }

  async #doRefresh(): Promise<Session> {
    const state = this.#state;
    if (state.kind !== 'active') throw new ApiProblem(401, 'auth.required', 'Sign in first.');
    try {
      const data = await this.#send<LoginResponse>('/api/auth/refresh', { method: 'POST', json: { refreshToken: state.session.refreshToken } }, null);
      const session = this.#toSession({ ...data.data, user: data.data.user ?? state.session.user });
      this.#set({ kind: 'active', session });
      return session;
    } catch (error) {
      if (error instanceof ApiProblem && (error.status === 401 || error.status === 400)) {
        this.#set({ kind: 'expired', user: state.session.user });
        throw new ApiProblem(401, 'auth.expired', 'Your session has expired.');
      }
      throw error;
    }
  }

  async #send<T>(path: string, options: RequestOptions, token: string | null): Promise<ApiResponse<T>> {
    const headers = new Headers({ Accept: 'application/json' });
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (options.json !== undefined) headers.set('Content-Type', 'application/json');
    if (options.revision !== undefined) headers.set('If-Match', `"${options.revision}"`);
    if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.json !== undefined ? JSON.stringify(options.json) : (options.body ?? null),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError(error instanceof Error ? error.message : 'network error');
    }
    if (!response.ok) throw await ApiProblem.from(response);
    const data = response.status === 204 ? (undefined as T) : ((await response.json()) as T);
    return { data, revision: revisionFromEtag(response.headers.get('ETag')) };
  }

  #toSession(data: LoginResponse): Session {
    return { accessToken: data.accessToken, refreshToken: data.refreshToken, expiresAt: this.clock() + data.expiresIn * 1000, user: data.user };
  }

  #set(state: SessionState): void {
    this.#state = state;
    if (state.kind === 'active') this.storage?.setItem(storageKey, JSON.stringify(state.session));
    else this.storage?.removeItem(storageKey);
    for (const listener of this.#listeners) listener(state);
  }

  #restore(): SessionState {
    try {
      const raw = this.storage?.getItem(storageKey);
      if (!raw) return { kind: 'signed-out' };
      const session = JSON.parse(raw) as Session;
      return typeof session.refreshToken === 'string' && session.user ? { kind: 'active', session } : { kind: 'signed-out' };
    } catch {
      return { kind: 'signed-out' };
    }
  }
}
