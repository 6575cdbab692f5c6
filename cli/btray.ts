import { Command, CommanderError } from 'commander';
import { errorMessage } from '../shared/errors';
import { registerBrowserCommands } from './commands/browser';
import { registerConnectCommand } from './commands/connect';
import { registerCookieCommands } from './commands/cookies';
import { registerDaemonCommands } from './commands/daemon';
import { registerFormCommands } from './commands/forms';
import { registerGetCommands } from './commands/get';
import { registerRecordCommands } from './commands/record';
import { registerSessionCommands } from './commands/sessions';
import { registerTabCommands } from './commands/tabs';
import { registerWaitCommands } from './commands/wait';
import { CliError, EXIT } from './exit-codes';
import { printError } from './output';

const VERSION = '0.1.0';

function buildProgram(): Command {
  const program = new Command('btray')
    .description(
      'Drive long-lived browser sessions from the shell: each command answers in milliseconds.',
    )
    .version(VERSION)
    .option('-s, --session <name>', 'session name (default: $BROWSER_TRAY_SESSION or "default")')
    .option('--json', "print the daemon's answer as JSON")
    .option('--headed', 'show the browser window (when the session starts)')
    .option('--profile <name>', 'launch the installed Chrome with this profile')
    .option(
      '--cdp-url <url>',
      'attach to a running browser (http:// or ws://) instead of launching one',
    )
    .option(
      '--idle-timeout <seconds>',
      'close the session after this long without a command (default 1800)',
    )
    .showHelpAfterError('(run btray --help for the list of commands)')
    .exitOverride();

  registerBrowserCommands(program);
  registerFormCommands(program);
  registerGetCommands(program);
  registerTabCommands(program);
  registerCookieCommands(program);
  registerWaitCommands(program);
  registerRecordCommands(program);
  registerConnectCommand(program);
  registerSessionCommands(program);
  registerDaemonCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help asked for, and the version, are "errors" to commander but successes to the user.
    // Help shown because a command was missing (`btray`, `btray get`) is a usage error.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return EXIT.ok;
    }
    if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    printError(error.message, error.hint);
    return error.exitCode;
  }
  printError(errorMessage(error));
  return EXIT.commandError;
}

void main(process.argv);
