/** An RFC 9457 problem from the API, with Palabre's stable `code` the console translates. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: readonly { readonly path: string; readonly message: string }[] = [],
    readonly body: Record<string, unknown> = {},
    readonly etag: string | null = null,
  ) {
    super(detail);
  }

  static async from(response: Response): Promise<ApiProblem> {
    let body: Record<string, unknown> = {};
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      // A proxy's HTML error page: keep the status, invent nothing else.
    }
    const code = typeof body.code === 'string' ? body.code : `http.${response.status}`;
    const detail = typeof body.detail === 'string' ? body.detail : response.statusText;
    const errors = Array.isArray(body.errors) ? (body.errors as ApiProblem['errors']) : [];
    return new ApiProblem(response.status, code, detail, errors, body, response.headers.get('ETag'));
  }
}

/** The network itself failed (server down, offline): distinct from a refusal. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export const isProblem = (error: unknown, code?: string): error is ApiProblem =>
  error instanceof ApiProblem && (code === undefined || error.code === code);
