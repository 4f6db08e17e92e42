/**
 * The renderer's only door to the main process: `window.cuttings`, given by
 * the preload (or by the test bridge's init script). Every answer is an
 * envelope; `call` turns an error envelope into an ApiError so that callers
 * can `await` values and show one clear message when something fails.
 */
import type { CuttingsApi } from '../../electron/ipc/api';
import type { Envelope, ErrorCode, IpcError } from '../../electron/ipc/contract';
import type { OnExportProgress, OnImportProgress, OnMenuCommand } from '../../electron/ipc/events';

/** The API plus what main sends unasked: menu commands (File › Import…, Export…, View › Toggle theme), import and export progress. */
export type WindowApi = CuttingsApi & { onMenuCommand?: OnMenuCommand; onImportProgress?: OnImportProgress; onExportProgress?: OnExportProgress };

declare global {
  interface Window {
    cuttings?: WindowApi;
  }
}

export class ApiError extends Error {
  readonly code: ErrorCode | 'unreachable';
  readonly issues: IpcError['issues'];
  constructor(code: ErrorCode | 'unreachable', message: string, issues?: IpcError['issues']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
}

export function api(): WindowApi {
  const value = window.cuttings;
  if (!value) throw new ApiError('unreachable', 'Cuttings cannot reach its library: the window API is missing.');
  return value;
}

/** Awaits an envelope and returns its value, or throws an ApiError that carries main's message. */
export async function call<T>(request: Promise<Envelope<T>> | (() => Promise<Envelope<T>>)): Promise<T> {
  let envelope: Envelope<T>;
  try {
    envelope = await (typeof request === 'function' ? request() : request);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('unreachable', `Cuttings could not reach its library (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (envelope.ok) return envelope.value;
  const { code, message, issues } = envelope.error;
  throw new ApiError(code, message, issues);
}

/** One sentence for a person: what failed, then main's reason (and the first few field issues). */
export function describeError(action: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const issues =
    error instanceof ApiError && error.issues?.length
      ? ` (${error.issues
          .slice(0, 3)
          .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
          .join('; ')})`
      : '';
  return `${action}: ${reason}${issues}`;
}
