import { join } from 'node:path';
import type { Command } from 'commander';
import type { HeadlessOptions } from '../../electron/daemon/headless-entry';
import { CliError, EXIT } from '../exit-codes';
import { readGlobals } from '../globals';

/** Loads a sibling bundle only when its command runs, so other commands stay fast. */
function loadBundle<T>(name: string): T {
  return require(join(__dirname, name)) as T;
}

interface DaemonBundle {
  runHeadlessDaemon(options: HeadlessOptions): Promise<never>;
}

interface DashboardBundle {
  runDashboard(options: {
    home: string;
    port?: number;
    open?: boolean;
    print: (line: string) => void;
  }): Promise<{ url: string; close(): Promise<void> | void }>;
}

/** Long-running commands: a session daemon or the web dashboard in the foreground. */
export function registerDaemonCommands(program: Command): void {
  program
    .command('daemon')
    .description(
      "run the session's daemon in the foreground (what the CLI starts in the background)",
    )
    .action(async (_options, command: Command) => {
      const globals = readGlobals(command);
      await loadBundle<DaemonBundle>('daemon.cjs').runHeadlessDaemon({
        session: globals.session,
        headed: globals.headed ?? false,
        profile: globals.profile ?? null,
        cdpUrl: globals.cdpUrl ?? null,
        idleTimeoutS: globals.idleTimeoutS ?? null,
        announce: (line) => process.stderr.write(`${line}\n`),
      });
    });

  program
    .command('dashboard')
    .description("serve the live dashboard on 127.0.0.1 and print its URL (with this run's secret)")
    .option('--port <port>', 'a fixed port instead of a free one')
    .option('--open', 'open it in your browser (with a short-lived one-use link)')
    .action(async (options: { port?: string; open?: boolean }, command: Command) => {
      const globals = readGlobals(command);
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
        throw new CliError(
          `--port must be a port number from 1 to 65535, got ${options.port}`,
          EXIT.usage,
        );
      }
      await loadBundle<DashboardBundle>('dashboard.cjs').runDashboard({
        home: globals.home,
        ...(port === undefined ? {} : { port }),
        open: options.open ?? false,
        print: (line) => process.stdout.write(`${line}\n`),
      });
    });
}
