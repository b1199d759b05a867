export { type BackupHeader, type BackupManifest, type BackupOptions, type BackupSource, writeBackup } from './backup.js';
export { type RestoreOptions, type RestoreResult, type RestoreTarget, restoreBackup } from './restore.js';
export { type Decryption, type Encryption, keyFingerprint } from './encryption.js';
export { BackupDamagedError, BackupKeyError, RestoreTargetError } from './errors.js';
export { type BackupSchedule, backupIfDue, scheduledBackups, startBackupSchedule } from './schedule.js';
