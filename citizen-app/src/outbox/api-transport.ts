import type { ApiClient } from '../api/client.ts';
import { ApiError, NetworkError } from '../api/errors.ts';
import type { Failure, OutboxTransport } from './types.ts';

export function apiTransport(api: ApiClient): OutboxTransport {
  return {
    uploadPhoto: (photo) => api.uploadMedia(photo),
    submitReport: (report, key) => api.submitReport(report, key),
  };
}

/** No answer or a server in trouble: try later. A 4xx about the report itself: it will never pass. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof NetworkError) return { retry: true, code: 'network' };
  if (error instanceof ApiError) return { retry: error.retryable, code: error.code };
  // A bug or storage failure on the phone: keep the report and try again rather than lose it.
  return { retry: true, code: 'unknown' };
}
