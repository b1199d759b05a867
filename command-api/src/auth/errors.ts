export type AuthErrorCode =
  | 'auth.token_expired'
  | 'auth.token_invalid'
  | 'auth.refresh_invalid'
  | 'auth.refresh_expired'
  /** A spent refresh token came back: someone holds a copy, so its whole family was revoked. */
  | 'auth.refresh_reused'
  /** The account behind a refresh token may no longer sign in (disabled, deleted). */
  | 'auth.account_inactive'
  | 'auth.invalid_device_id'
  | 'auth.invalid_password'
  | 'auth.invalid_username'
  | 'auth.username_taken';

const httpStatusFor: Record<AuthErrorCode, number> = {
  'auth.token_expired': 401,
  'auth.token_invalid': 401,
  'auth.refresh_invalid': 401,
  'auth.refresh_expired': 401,
  'auth.refresh_reused': 401,
  'auth.account_inactive': 401,
  'auth.invalid_device_id': 400,
  'auth.invalid_password': 400,
  'auth.invalid_username': 400,
  'auth.username_taken': 409,
};

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly httpStatus: number;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.httpStatus = httpStatusFor[code];
  }
}
