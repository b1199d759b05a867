import type { Problem } from './types.ts';

/** The API answered with an RFC 9457 problem; `code` is the stable thing to act on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** Worth trying again later: the server was unwell, busy, or the request timed out. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429 || this.status === 401;
  }
}

/** No answer at all: offline, DNS, a dropped 2G link, or our own timeout. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

export async function problemFrom(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...body, status: response.status, code: body.code ?? `http.${response.status}` };
  } catch {
    return { status: response.status, code: `http.${response.status}`, detail: response.statusText };
  }
}
