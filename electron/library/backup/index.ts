export {
  BACKUP_EXTENSION,
  BACKUP_MANIFEST,
  BACKUP_VERSION,
  createBackup,
  inspectBackup,
  restoreBackup,
  type BackupCounts,
  type BackupManifest,
  type BackupResult,
  type RestoreResult,
} from './backup';
