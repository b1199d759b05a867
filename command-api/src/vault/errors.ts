export type VaultErrorCode =
  /** Decryption failed: ciphertext or wrapped key altered, or the wrong master key. Never ignore. */
  | 'vault.integrity'
  /** The subject was forgotten; nothing may be stored under its id again. */
  | 'vault.subject_erased'
  | 'vault.invalid_subject_id'
  | 'vault.invalid_contact';

export interface VaultIssue {
  readonly path: string;
  readonly message: string;
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly issues: readonly VaultIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
