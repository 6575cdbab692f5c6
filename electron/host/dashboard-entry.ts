import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../daemon/logger';
import { silentLogger } from '../daemon/logger';
import { DashboardServer } from './dashboard-server';
import { createMonitorBridge } from './monitor-bridge';
import { SessionMonitor } from './session-monitor';
import { spawnHeadlessDaemon } from './spawn-headless-daemon';

export interface RunDashboardOptions {
  home: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Opens the dashboard in the default browser as well. */
  open?: boolean;
  /** Where the URL and notices go (the CLI passes its stdout writer). */
  print: (line: string) => void;
  /** The built renderer; defaults to `renderer/` next to this bundle. */
  staticDir?: string;
  /** Starts a session; defaults to spawning `daemon.cjs` (next to this bundle) headless. */
  newSession?: (name: string) => Promise<void>;
  log?: Logger;
  /** The environment new daemons inherit; read once here, never in the request path. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningDashboard {
  /** The URL to open, secret included. */
  url: string;
  close(): Promise<void>;
}

/**
 * `btray dashboard`: follows every session in `home` and serves the dashboard on
 * 127.0.0.1 until `close()`. Prints the URL with its secret.
 */
export async function runDashboard(options: RunDashboardOptions): Promise<RunningDashboard> {
  const log = options.log ?? silentLogger();
  const bundleDir = typeof __dirname === 'string' ? __dirname : process.cwd();
  const staticDir = options.staticDir ?? join(bundleDir, 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the dashboard is not built (${staticDir}/index.html): run npm run build`);
  }

  const env = options.env ?? process.env;
  const newSession =
    options.newSession ??
    (async (name: string) => {
      const daemonScript = join(bundleDir, 'daemon.cjs');
      await spawnHeadlessDaemon({ home: options.home, name, daemonScript, env });
    });

  const monitor = new SessionMonitor({ home: options.home, log });
  const bridge = createMonitorBridge({ home: options.home, monitor, newSession, log });
  const server = new DashboardServer({ bridge, staticDir, log, port: options.port });

  monitor.start();
  const url = await server.listen().catch((error: unknown) => {
    monitor.stop();
    throw error;
  });
  options.print(`Dashboard: ${url}`);
  options.print(
    'Anyone with this URL can see, stop, start and record your sessions: keep it to yourself.',
  );
  if (options.open) openInBrowser(server.ticketUrl(), options.print);

  return {
    url,
    close: async () => {
      await server.close();
      monitor.stop();
    },
  };
}

/** The platform's own opener; a machine without one still has the printed URL. */
function openInBrowser(url: string, print: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];

  const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
  child.once('error', (error) => print(`Could not open a browser (${error.message}).`));
  child.unref();
}
