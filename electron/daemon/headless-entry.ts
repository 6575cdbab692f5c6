import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errors';
import { DEFAULT_SESSION, sessionNameProblem } from '../../shared/session-name';
import { launchThrowawayChrome } from '../browser/browser-session';
import { findChrome } from '../browser/chrome-finder';
import type { ChromeProcess } from '../browser/chrome-launcher';
import { type DaemonConfig, defaultDaemonConfig } from './daemon-config';
import { ensureHome, resolveHome, sessionPaths } from './paths';

/** Options of the headless daemon process, as `btray daemon` and the CLI's spawn pass them. */
export interface HeadlessOptions {
  session: string;
  headed: boolean;
  profile: string | null;
  cdpUrl: string | null;
  idleTimeoutS: number | null;
  /** Launch Chromium at once, before the rest of the daemon loads (the CLI's spawn). */
  launchBrowser?: boolean;
  /** Tells a person at a terminal (`btray daemon`) when the session is up and when it ends. */
  announce?: (line: string) => void;
}

const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs one session's daemon in this process until it stops, then exits: the one place
 * a headless daemon exits, after every cleanup step has run.
 */
export async function runHeadlessDaemon(
  options: HeadlessOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<never> {
  const home = resolveHome(env);
  ensureHome(home);
  const config: DaemonConfig = {
    ...defaultDaemonConfig(options.session, home, env),
    headed: options.headed,
    profile: options.profile,
    cdpUrl: options.cdpUrl,
    ...(options.idleTimeoutS !== null ? { idleTimeoutMs: options.idleTimeoutS * 1000 } : {}),
  };
  // Chromium takes longer to start than this daemon takes to load: begin it first, and
  // only then load the session daemon (its imports are lazy in this bundle for that).
  const earlyLaunch = options.launchBrowser ? launchEarly(config) : undefined;
  const [{ createSessionLogger }, { SessionDaemon }] = await Promise.all([
    import('./logger'),
    import('./session-daemon'),
  ]);

  const log = createSessionLogger(
    sessionPaths(home, config.session).log,
    config.logLevel,
    config.session,
  );
  const daemon = new SessionDaemon(config, log);

  // Limitation: Windows has no SIGHUP; closing the console sends SIGINT there.
  for (const signal of EXIT_SIGNALS) {
    process.on(signal, () => {
      log.info({ signal }, 'signal received');
      void daemon.requestShutdown(`signal ${signal}`);
    });
  }
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception; shutting down');
    void daemon.requestShutdown('uncaught exception', 'by-itself');
  });
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection');
  });

  let code = 0;
  try {
    await daemon.start();
    if (earlyLaunch) daemon.startBrowserFrom(earlyLaunch);
    const paths = sessionPaths(home, config.session);
    options.announce?.(
      `Session "${config.session}" is ready on ${paths.socket} (log: ${paths.log}). ` +
        `Stop it with Ctrl-C or: btray --session ${config.session} close`,
    );
    const outcome = await daemon.stopped;
    options.announce?.(`Session "${config.session}" ${outcome.phase}: ${outcome.reason}.`);
    code = outcome.phase === 'failed' ? 1 : 0;
  } catch (error) {
    process.stderr.write(`btray daemon: ${errorMessage(error)}\n`);
    // The session was not ours to run (or never bound): its early browser goes too.
    await earlyLaunch?.then((chrome) => chrome.kill()).catch(() => undefined);
    code = 1;
  }
  log.flush();
  process.exit(code);
}

/**
 * Launches Chromium as the first browser command would, for the plain case only (no
 * profile, no CDP URL). Undefined when it cannot even begin: the command then tries again
 * and reports why. A failed launch cleans up after itself and fails that command's start.
 */
function launchEarly(config: DaemonConfig): Promise<ChromeProcess> | undefined {
  if (config.profile || config.cdpUrl) return undefined;
  let found: string;
  try {
    found = config.chromePath ?? findChrome(config.env);
  } catch {
    return undefined;
  }
  const launch = launchThrowawayChrome(found, config.headed, config.env);
  // Observed by the browser start; this only keeps an early failure from being unhandled.
  launch.catch(() => undefined);
  return launch;
}

/** Reads the daemon's own command line (`node daemon.cjs --session NAME …`). */
export function parseHeadlessArgs(argv: string[]): HeadlessOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      session: { type: 'string', default: DEFAULT_SESSION },
      headed: { type: 'boolean', default: false },
      profile: { type: 'string' },
      'cdp-url': { type: 'string' },
      'idle-timeout': { type: 'string' },
      'launch-browser': { type: 'boolean', default: false },
    },
    strict: true,
  });

  const problem = sessionNameProblem(values.session);
  if (problem) throw new Error(problem);
  const idle = values['idle-timeout'];
  const idleTimeoutS = idle === undefined ? null : Number(idle);
  if (idleTimeoutS !== null && (!Number.isFinite(idleTimeoutS) || idleTimeoutS <= 0)) {
    throw new Error(`--idle-timeout must be a positive number of seconds, got ${idle}`);
  }
  return {
    session: values.session,
    headed: values.headed,
    profile: values.profile ?? null,
    cdpUrl: values['cdp-url'] ?? null,
    idleTimeoutS,
    launchBrowser: values['launch-browser'],
  };
}

if (require.main === module) {
  try {
    void runHeadlessDaemon(parseHeadlessArgs(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`btray daemon: ${errorMessage(error)}\n`);
    process.exit(2);
  }
}
