/**
 * Stable error codes carried next to the browser-use `error` message on the wire.
 * Clients branch on the code; the message is for people.
 */
export type ErrorCode =
  | 'UNAUTHORIZED'
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'UNKNOWN_ACTION'
  | 'NOT_SUPPORTED'
  | 'BROWSER_GONE'
  | 'BROWSER_START_FAILED'
  | 'CHROME_NOT_FOUND'
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_IN_USE'
  | 'NO_SUCH_ELEMENT'
  | 'STALE_ELEMENT'
  | 'TIMEOUT'
  | 'NAVIGATION_FAILED'
  | 'JS_ERROR'
  | 'CDP_ERROR'
  | 'RECORDER_FAILED'
  | 'FFMPEG_NOT_FOUND'
  | 'FILE_ERROR'
  | 'SHUTTING_DOWN'
  | 'CANCELLED'
  | 'INTERNAL';

/** An error that knows its wire code. Anything else thrown becomes `INTERNAL`. */
export class TrayError extends Error {
  override readonly name = 'TrayError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTrayError(error: unknown, code?: ErrorCode): error is TrayError {
  return error instanceof TrayError && (code === undefined || error.code === code);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
