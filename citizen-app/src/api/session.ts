import { ApiError, NetworkError, problemFrom } from './errors.ts';
import { randomId } from './random-id.ts';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is treated as expired (a little before the server does). */
  expiresAt: number;
  citizenId: string;
}

const deviceKey = 'palabre.deviceId';
const sessionKey = 'palabre.session';
const skewMs = 30_000;

/**
 * The anonymous identity of this phone: a random device id kept in local storage, exchanged for
 * citizen tokens. No account, no personal data; losing the device id only loses "my reports".
 */
export class CitizenSession {
  private pending: Promise<StoredSession> | null = null;
  private readonly origin: string;
  private readonly storage: Storage;

  constructor(origin: string, storage: Storage) {
    this.origin = origin;
    this.storage = storage;
  }

  get deviceId(): string {
    let id = this.storage.getItem(deviceKey);
    if (!id) {
      id = `d-${randomId()}`;
      this.storage.setItem(deviceKey, id);
    }
    return id;
  }

  get citizenId(): string | null {
    return this.read()?.citizenId ?? null;
  }

  /** A valid access token, signing in or refreshing first when needed; concurrent callers share one request. */
  async accessToken(): Promise<string> {
    const stored = this.read();
    if (stored && stored.expiresAt > Date.now()) return stored.accessToken;
    return (await this.renew(stored)).accessToken;
  }

  /** Called after a 401: the token the server refused is dropped and a new one obtained. */
  async invalidate(refused: string): Promise<string> {
    const stored = this.read();
    if (stored && stored.accessToken !== refused) return stored.accessToken;
    return (await this.renew(stored ? { ...stored, expiresAt: 0 } : null)).accessToken;
  }

  /** This phone proved the number of an earlier citizen: from now on it is that citizen (the API's new session). */
  adopt(tokens: { accessToken: string; refreshToken: string; expiresIn: number }, citizenId: string): void {
    const session: StoredSession = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + tokens.expiresIn * 1000 - skewMs, citizenId };
    this.storage.setItem(sessionKey, JSON.stringify(session));
  }

  private renew(stored: StoredSession | null): Promise<StoredSession> {
    this.pending ??= (async () => {
      try {
        if (stored) {
          try {
            return await this.exchange('/api/auth/refresh', { refreshToken: stored.refreshToken }, stored.citizenId);
          } catch (error) {
            // A refused refresh token (rotated elsewhere, expired): the device id signs in again.
            if (!(error instanceof ApiError) || error.retryable) throw error;
          }
        }
        return await this.exchange('/api/auth/citizen', { deviceId: this.deviceId }, null);
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }

  private async exchange(path: string, body: unknown, knownCitizenId: string | null): Promise<StoredSession> {
    let response: Response;
    try {
      response = await fetch(this.origin + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new NetworkError(`Could not reach ${path}`, { cause: error });
    }
    if (!response.ok) {
      const problem = await problemFrom(response);
      // 401 here means "these credentials are refused", not "token expired": do not loop.
      throw new ApiError(response.status === 401 ? { ...problem, status: 400 } : problem);
    }
    const data = (await response.json()) as { accessToken: string; refreshToken: string; expiresIn: number; citizenId?: string; user?: { id: string } };
    const session: StoredSession = {
      accessToken: data.accessToken,
      refreshToken: data.refreshToken,
      expiresAt: Date.now() + data.expiresIn * 1000 - skewMs,
      citizenId: data.citizenId ?? knownCitizenId ?? data.user?.id ?? '',
    };
    this.storage.setItem(sessionKey, JSON.stringify(session));
    return session;
  }

  private read(): StoredSession | null {
    try {
      const raw = this.storage.getItem(sessionKey);
      return raw ? (JSON.parse(raw) as StoredSession) : null;
    } catch {
      return null;
    }
  }
}
