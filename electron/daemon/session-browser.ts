import { errorMessage, TrayError } from '../../shared/errors';
import { BrowserSession } from '../browser/browser-session';
import type { ChromeProcess } from '../browser/chrome-launcher';
import type { PageSession } from '../browser/page-session';
import { BrowserWatchdog } from './browser-watchdog';
import type { DaemonConfig } from './daemon-config';
import type { Logger } from './logger';

/** How long closing the browser may take before its process group is killed. */
const BROWSER_CLOSE_BUDGET_MS = 10_000;

export interface SessionBrowserEvents {
  /** The browser is being started, is up, or failed to start (with the reason). */
  onStarting(): void;
  onRunning(): void;
  onFailed(reason: string): void;
  /** The browser went away by itself: the session should shut down. */
  onGone(reason: string): void;
  /** The tab commands go to changed (the recorder follows it). */
  onFocusChange(page: PageSession): void;
}

/**
 * A session's browser, started lazily and once however many commands arrive together,
 * watched while it runs, and closed within a bounded time.
 */
export class SessionBrowser {
  private browser: BrowserSession | undefined;
  private starting: Promise<BrowserSession> | undefined;
  private earlyLaunch: Promise<ChromeProcess> | undefined;
  private watchdog: BrowserWatchdog | undefined;
  private closed = false;

  constructor(
    private readonly config: DaemonConfig,
    private readonly events: SessionBrowserEvents,
    private readonly log: Logger,
  ) {}

  /** The running browser, if any. */
  get current(): BrowserSession | undefined {
    return this.browser;
  }

  /**
   * Uses a Chromium launch the host began before the daemon finished loading (the CLI
   * spawns a daemon only for a browser command, so Chromium's start-up overlaps ours).
   * A failure is left to the next command to report.
   */
  startFrom(launch: Promise<ChromeProcess>): void {
    this.earlyLaunch = launch;
    this.ensure().catch((error: unknown) => {
      this.log.warn({ err: errorMessage(error) }, 'the early browser start failed');
    });
  }

  /** The browser, started now if needed; concurrent callers share one start. */
  ensure(): Promise<BrowserSession> {
    if (this.browser) return Promise.resolve(this.browser);
    if (this.closed)
      return Promise.reject(new TrayError('SHUTTING_DOWN', 'The session is shutting down'));
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops noticing the browser going away: shutdown has begun and will close it. */
  stopWatching(): void {
    this.watchdog?.stop();
  }

  /**
   * Ends our use of the browser (kills one we launched, disconnects from one we
   * attached to), waiting for a start in progress first. Bounded by 10 s.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching();
    const browser = this.browser ?? (await this.starting?.catch(() => undefined));
    this.browser = undefined;
    if (!browser) return;

    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), BROWSER_CLOSE_BUDGET_MS);
    });
    const outcome = await Promise.race([
      browser.close().then(() => 'closed' as const),
      budget,
    ]).catch((error: unknown) => {
      this.log.warn({ err: errorMessage(error) }, 'closing the browser failed');
      return 'error' as const;
    });
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn('the browser did not close within 10 s; killing its process group');
      browser.chrome?.process.signal('SIGKILL');
    }
  }

  private async start(): Promise<BrowserSession> {
    this.events.onStarting();
    try {
      const browser = await BrowserSession.start({
        headed: this.config.headed,
        cdpUrl: this.config.cdpUrl,
        chromePath: this.config.chromePath,
        profile: this.config.profile,
        env: this.config.env,
        log: this.log,
        earlyLaunch: this.takeEarlyLaunch(),
      });
      if (this.closed) {
        await browser.close();
        throw new TrayError(
          'SHUTTING_DOWN',
          'The session shut down while the browser was starting',
        );
      }
      this.browser = browser;
      this.watch(browser);
      this.events.onRunning();
      return browser;
    } catch (error) {
      if (!this.closed) this.events.onFailed(errorMessage(error));
      throw error;
    }
  }

  private watch(browser: BrowserSession): void {
    this.watchdog = new BrowserWatchdog(browser, (reason) => {
      this.log.warn({ reason }, 'browser watchdog: the browser is gone');
      this.events.onGone(reason);
    });
    this.watchdog.start();
    browser.tabs.onFocusChange((page) => this.events.onFocusChange(page));
  }

  /** The early launch serves the first start only; a retry launches afresh. */
  private takeEarlyLaunch(): Promise<ChromeProcess> | undefined {
    const launch = this.earlyLaunch;
    this.earlyLaunch = undefined;
    return launch;
  }
}
