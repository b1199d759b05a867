/** Why an upload or a media request was refused; `code` is stable, clients switch on it. */
export type MediaRejectionCode = 'media.unsupported_type' | 'media.too_large' | 'media.unreadable' | 'media.invalid_id';

/**
 * HTTP status the API answers with. `media.unreadable` is 400, not 415: the format is one we
 * accept, the bytes are broken (usually an interrupted upload), so the app should retake or resend.
 */
const httpStatusFor: Record<MediaRejectionCode, number> = {
  'media.unsupported_type': 415,
  'media.too_large': 413,
  'media.unreadable': 400,
  'media.invalid_id': 400,
};

export class MediaRejectedError extends Error {
  override readonly name = 'MediaRejectedError';
  readonly httpStatus: number;

  constructor(
    readonly code: MediaRejectionCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.httpStatus = httpStatusFor[code];
  }
}
