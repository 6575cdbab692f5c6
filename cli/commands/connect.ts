import type { Command } from 'commander';
import { discoverChrome, discoveryOptionsFromEnv } from '../../electron/browser/chrome-discovery';
import { sessionPaths } from '../../electron/daemon/paths';
import { sendRequest } from '../../electron/daemon/socket-client';
import { isTrayError } from '../../shared/errors';
import { connectSession, pingSession } from '../daemon-locator';
import { CliError, EXIT } from '../exit-codes';
import { type GlobalOptions, readGlobals } from '../globals';
import { printResponse } from '../output';

/**
 * `btray connect`: with --cdp-url, attach there; on a session that is not running, find
 * a Chrome with remote debugging on and attach to it; on a running session, start its
 * browser now. Discovery runs here, before the daemon starts, so the session's
 * configuration names the browser it is attached to from the first moment.
 */
export function registerConnectCommand(program: Command): void {
  program
    .command('connect')
    .description(
      'attach to a running Chrome (--cdp-url, or the one found with remote debugging on), ' +
        "or start a running session's browser now",
    )
    .action(async (_options, command: Command) => {
      const globals = await withDiscoveredChrome(readGlobals(command));
      const session = await connectSession(globals, { start: true });
      const response = await sendRequest(session.paths.socket, session.token, 'connect');
      if (response.success && !globals.json) {
        const data = response.data as { cdp_url?: string };
        process.stdout.write(`Connected to ${data.cdp_url ?? 'the browser'}\n`);
        return;
      }
      process.exitCode = printResponse(response, globals.json);
    });
}

async function withDiscoveredChrome(globals: GlobalOptions): Promise<GlobalOptions> {
  if (globals.cdpUrl !== undefined || globals.profile !== undefined) return globals;
  if (await pingSession(sessionPaths(globals.home, globals.session))) return globals;

  try {
    const found = await discoverChrome(discoveryOptionsFromEnv(process.env));
    return { ...globals, cdpUrl: found.wsEndpoint };
  } catch (error) {
    if (isTrayError(error, 'CHROME_NOT_FOUND'))
      throw new CliError(error.message, EXIT.commandError);
    throw error;
  }
}
