/** The passphrase or key given does not open the backup (or none was given). */
export class BackupKeyError extends Error {}

/** The file is not a whole, unaltered Palabre backup. */
export class BackupDamagedError extends Error {
  constructor(reason: string) {
    super(`The backup file is damaged or incomplete: ${reason}. Nothing was restored.`);
  }
}

/** The restore target already holds data, or the backup cannot go there. */
export class RestoreTargetError extends Error {}

