import { errorMessage, TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';
import type { CdpConnection } from './cdp-connection';
import { resolveCdpEndpoint } from './cdp-endpoint';
import { findChrome, withoutLauncherScript } from './chrome-finder';
import { type ChromeProcess, launchChrome } from './chrome-launcher';
import { resolveProfile } from './chrome-profiles';
import type { PageSession } from './page-session';
import { TabList } from './tab-list';

export interface BrowserSessionOptions {
  headed: boolean;
  /** Attach here instead of launching (http:// or ws://). */
  cdpUrl: string | null;
  chromePath: string | null;
  /** A profile of the installed Chrome (`--profile`: folder or display name). */
  profile?: string | null;
  /** A real user-data-dir and profile folder to launch with (`--profile`). */
  userDataDir?: string;
  profileDirectory?: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * A launch already under way, started with these options before the daemon finished
   * loading (see `headless-entry`), used instead of launching. Only ever given without a
   * profile or a CDP URL.
   */
  earlyLaunch?: Promise<ChromeProcess>;
}

/** The viewport of headless tabs we launch: 720p, even sizes for the recorder. */
export const HEADLESS_VIEWPORT = { width: 1280, height: 720 };

/**
 * Launches Chromium with a fresh temporary profile, as a session without `--profile`
 * does (also early, by the headless entry). Such a profile needs nothing from a
 * distribution's launcher script, so the binary runs directly.
 */
export function launchThrowawayChrome(
  executable: string,
  headed: boolean,
  env: NodeJS.ProcessEnv,
): Promise<ChromeProcess> {
  const direct = withoutLauncherScript(executable);
  return launchChrome({
    executable: direct.executable,
    extraArgs: direct.args,
    headed,
    env,
    windowSize: headed ? undefined : HEADLESS_VIEWPORT,
  });
}

/**
 * One browser and our connection to it: launched by us (and then ours to kill) or
 * attached to (and then only ever disconnected from).
 */
export class BrowserSession {
  /** Resolves once the browser is gone or the connection dropped. */
  readonly gone: Promise<void>;

  private constructor(
    readonly connection: CdpConnection,
    readonly tabs: TabList,
    readonly chrome: ChromeProcess | undefined,
    readonly wsEndpoint: string,
    private readonly log: Logger,
  ) {
    const exited = chrome
      ? chrome.process.exited.then(() => undefined)
      : new Promise<void>(() => undefined);
    this.gone = Promise.race([connection.closed, exited]);
  }

  /** Launches or attaches, then connects; on any failure, kills what it launched. */
  static async start(options: BrowserSessionOptions): Promise<BrowserSession> {
    const { log } = options;
    // Loaded now, while Chromium starts: the CDP client (and its WebSocket and TLS modules)
    // is needed only once a browser is there, and loading it takes tens of milliseconds.
    const cdpModule = import('./cdp-connection');
    let chrome: ChromeProcess | undefined;
    let connection: CdpConnection | undefined;
    try {
      let wsEndpoint: string;
      if (options.cdpUrl && options.profile) {
        throw new TrayError(
          'BAD_REQUEST',
          '--cdp-url and --profile cannot be used together: attach to a running browser, ' +
            'or launch Chrome with a profile',
        );
      }
      if (options.cdpUrl) {
        wsEndpoint = await resolveCdpEndpoint(options.cdpUrl);
      } else if (options.earlyLaunch) {
        chrome = await options.earlyLaunch;
        wsEndpoint = chrome.wsEndpoint;
        log.info({ chromePid: chrome.pid }, 'Chromium launched early, while the daemon loaded');
      } else {
        // Resolved before launching: an unknown or busy profile fails at once, naming it.
        const profile = options.profile ? resolveProfile(options.profile, options.env) : undefined;
        const executable = options.chromePath ?? findChrome(options.env, profile?.executables);
        const userDataDir = profile?.userDataDir ?? options.userDataDir;
        chrome = userDataDir
          ? await launchChrome({
              executable,
              headed: options.headed,
              userDataDir,
              profileDirectory: profile?.directory ?? options.profileDirectory,
              env: options.env,
              windowSize: options.headed ? undefined : HEADLESS_VIEWPORT,
            })
          : await launchThrowawayChrome(executable, options.headed, options.env);
        wsEndpoint = chrome.wsEndpoint;
        log.info({ chromePid: chrome.pid, executable }, 'Chromium launched');
      }

      const { CdpConnection } = await cdpModule;
      connection = await CdpConnection.connect(wsEndpoint, log.child({ ns: 'cdp' }));
      const viewport = chrome && !options.headed ? HEADLESS_VIEWPORT : undefined;
      const tabs = new TabList(connection, log.child({ ns: 'tabs' }), viewport);
      await tabs.init();
      return new BrowserSession(connection, tabs, chrome, wsEndpoint, log);
    } catch (error) {
      log.error({ err: errorMessage(error) }, 'browser start failed; rolling back');
      await connection?.close();
      await chrome?.close(500);
      if (error instanceof TrayError) throw error;
      throw new TrayError(
        'BROWSER_START_FAILED',
        `The browser did not start: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  get launched(): boolean {
    return this.chrome !== undefined;
  }

  get pid(): number | null {
    return this.chrome?.pid ?? null;
  }

  get isConnected(): boolean {
    return this.connection.isConnected && !(this.chrome?.process.hasExited ?? false);
  }

  /** The tab commands go to. */
  get page(): PageSession {
    return this.tabs.current;
  }

  /**
   * Ends our use of the browser: a launched one is closed (Browser.close, then the
   * process group is killed); an attached one is only disconnected.
   */
  async close(): Promise<void> {
    if (!this.chrome) {
      await this.connection.close();
      this.log.info('disconnected from the attached browser; it keeps running');
      return;
    }

    // A throwaway profile has nothing worth a graceful shutdown: killing the process group
    // ends it in a fraction of the time (no session, cookie and cache writes to wait for).
    if (this.chrome.hasTemporaryProfile) {
      await Promise.all([this.connection.close(), this.chrome.kill()]);
      this.log.info({ chromePid: this.chrome.pid }, 'Chromium killed (temporary profile)');
      return;
    }

    if (this.connection.isConnected) {
      await Promise.race([
        this.connection.send('Browser.close').catch((error: unknown) => {
          this.log.debug(
            { err: errorMessage(error) },
            'Browser.close failed; killing the process group',
          );
        }),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
    }
    await this.connection.close();
    await this.chrome.close();
    this.log.info({ chromePid: this.chrome.pid }, 'Chromium closed');
  }
}
