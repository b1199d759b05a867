export type VaultErrorCode =
  /** Decryption failed: ciphertext or wrapped key altered, or the wrong master key. Never ignore. */
  | 'vault.integrity'
  /** The subject was forgotten; nothing may be stored under its id again. */
  | 'vault.subject_erased'
  | 'vault.invalid_subject_id'
  | 'vault.invalid_contact'
  | 'vault.invalid_birth_date';

export interface VaultIssue {
  readonly path: string;
  readonly message: string;
}

/** Integrity failures are the server's problem (500): the client did nothing wrong. */
const httpStatusFor: Record<VaultErrorCode, number> = {
  'vault.integrity': 500,
  'vault.subject_erased': 409,
  'vault.invalid_subject_id': 400,
  'vault.invalid_contact': 400,
  'vault.invalid_birth_date': 400,
};

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly httpStatus: number;

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly issues: readonly VaultIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.httpStatus = httpStatusFor[code];
  }
}
