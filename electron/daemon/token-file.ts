import { readFileSync } from 'node:fs';

/**
 * Reads a session's token. Kept apart from `auth-token` so that clients (the CLI) do not
 * load `node:crypto`, which costs a few milliseconds of every command's start-up.
 */
export function readTokenFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}
