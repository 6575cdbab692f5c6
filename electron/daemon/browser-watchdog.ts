import type { BrowserSession } from '../browser/browser-session';

export const BROWSER_POLL_INTERVAL_MS = 2000;

/**
 * Notices a browser that went away: at once when the connection drops or the process
 * exits, and by a poll every 2 s for a browser that stops answering without closing
 * the connection (a remote one behind a dead network).
 */
export class BrowserWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly browser: BrowserSession,
    private readonly onGone: (reason: string) => void,
    private readonly pollIntervalMs = BROWSER_POLL_INTERVAL_MS,
  ) {}

  start(): void {
    void this.browser.gone.then(() => this.report('the browser closed or its connection dropped'));
    this.timer = setInterval(() => this.poll(), this.pollIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private poll(): void {
    if (!this.browser.isConnected) {
      this.report('the browser is no longer connected');
      return;
    }
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), this.pollIntervalMs),
    );
    Promise.race([this.browser.connection.send('Browser.getVersion'), timeout]).then(
      () => {
        this.failures = 0;
      },
      () => {
        this.failures += 1;
        if (this.failures >= 2) this.report('the browser stopped answering');
      },
    );
  }

  private report(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.onGone(reason);
  }
}
