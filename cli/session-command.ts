import type { Command } from 'commander';
import { sendRequest } from '../electron/daemon/socket-client';
import { connectSession } from './daemon-locator';
import { readGlobals } from './globals';
import { printResponse } from './output';

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
  const session = await connectSession(globals, { start: options.start ?? true });
  const response = await sendRequest(session.paths.socket, session.token, action, params);
  process.exitCode = printResponse(response, globals.json);
}
