import type { Command } from 'commander';
import { sessionPaths } from '../electron/daemon/paths';
import { ConnectionError, sendRequest } from '../electron/daemon/socket-client';
import { readTokenFile } from '../electron/daemon/token-file';
import type { Response } from '../shared/protocol';
import { connectSession } from './daemon-locator';
import { type GlobalOptions, readGlobals } from './globals';
import { printResponse } from './output';

/** Connect failures that prove nothing listens, so no request can have been received. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED']);

/**
 * Sends one action to the session (starting its daemon when needed) and prints the
 * answer. Sets the process exit code instead of exiting, so output is flushed.
 */
export async function runAction(
  command: Command,
  action: string,
  params: Record<string, unknown> = {},
  options: { start?: boolean } = {},
): Promise<void> {
  const globals = readGlobals(command);
  let response = await sendToLiveSession(globals, action, params);
  if (!response) {
    const session = await connectSession(globals, { start: options.start ?? true });
    response = await sendRequest(session.paths.socket, session.token, action, params, {
      cancelOnDisconnect: true,
    });
  }
  process.exitCode = printResponse(response, globals.json);
}

/**
 * The warm path: straight to a running daemon with one connection, without a ping
 * first. Undefined when that is not possible (no daemon, a stale token, or options that
 * must be checked against the running session), and the full path takes over.
 */
async function sendToLiveSession(
  globals: GlobalOptions,
  action: string,
  params: Record<string, unknown>,
): Promise<Response | undefined> {
  const explicitConfig =
    globals.headed !== undefined ||
    globals.profile !== undefined ||
    globals.cdpUrl !== undefined ||
    globals.idleTimeoutS !== undefined;
  if (explicitConfig) return undefined;

  const paths = sessionPaths(globals.home, globals.session);
  let token: string;
  try {
    token = readTokenFile(paths.token);
  } catch {
    // No token file: no daemon has started yet, which connectSession handles.
    return undefined;
  }

  try {
    const response = await sendRequest(paths.socket, token, action, params, {
      cancelOnDisconnect: true,
    });
    // The token of a daemon that is gone: the one that answered runs nothing for it.
    if (!response.success && response.code === 'UNAUTHORIZED') return undefined;
    return response;
  } catch (error) {
    if (error instanceof ConnectionError && NOT_LISTENING.has(error.errno ?? '')) return undefined;
    throw error;
  }
}
