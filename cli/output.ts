import type { ErrorCode } from '../shared/errors';
import type { Response } from '../shared/protocol';
import { EXIT } from './exit-codes';

/** What to tell the user to do next, by error code. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  BROWSER_GONE:
    'The browser is gone and the session is closing; run your command again to start a new one.',
  BROWSER_START_FAILED:
    'The session stays up and the next command tries again; to use other options, close it first (btray close).',
  SHUTTING_DOWN: 'The session is closing; run your command again in a moment to start a new one.',
  UNAUTHORIZED:
    'The token did not match: another daemon may own this socket. Try: btray close, then again.',
};

/** Prints a daemon's answer the way a person or a script wants it; returns the exit code. */
export function printResponse(response: Response, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(response)}\n`);
    return response.success ? EXIT.ok : EXIT.commandError;
  }
  if (!response.success) {
    printError(response.error, NEXT_STEP[response.code]);
    return EXIT.commandError;
  }
  process.stdout.write(formatData(response.data));
  return EXIT.ok;
}

/** Something the user should know that is not an error; stderr, so stdout stays data. */
export function printNotice(message: string): void {
  process.stderr.write(`Note: ${message}\n`);
}

export function printError(message: string, hint?: string): void {
  process.stderr.write(`Error: ${message}\n`);
  if (hint && !message.includes(hint)) process.stderr.write(`${hint}\n`);
}

function formatData(data: unknown): string {
  if (data === null || data === undefined) return '';
  if (typeof data === 'string') return `${data}\n`;
  if (typeof data === 'object' && '_raw_text' in data && typeof data._raw_text === 'string') {
    return data._raw_text.endsWith('\n') ? data._raw_text : `${data._raw_text}\n`;
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}
