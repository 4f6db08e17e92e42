/**
 * Errors the library raises on purpose. Each has a stable code, so the IPC
 * layer can hand the renderer a typed error rather than a stringified
 * exception, and a message a person can act on, naming the input.
 */
export type LibraryErrorCode =
  | 'not-found'
  | 'invalid-input'
  | 'conflict'
  | 'not-a-library'
  | 'newer-schema'
  | 'corrupt'
  | 'io'
  /** Another process (the app, a CLI command) has the library open. */
  | 'locked';

export class LibraryError extends Error {
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LibraryError';
  }
}

export function isLibraryError(e: unknown): e is LibraryError {
  return e instanceof LibraryError;
}

export function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the folder is read-only';
    case 'ENOENT':
      return 'no such file or folder';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return err?.message ?? String(e);
  }
}
