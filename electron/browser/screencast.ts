import { errorMessage, TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';
import type { CdpChannel } from './cdp-connection';
import { withDeadline } from './deadline';

/**
 * Frames larger than this are scaled down by Chromium before it encodes them: a headless
 * 1280x720 tab comes through as is, a big headed window costs no more than 1080p.
 */
const MAX_FRAME = { width: 1920, height: 1080 };
const JPEG_QUALITY = 80;

/** How long `Page.startScreencast` may take: a hung browser must not hang a start. */
const START_BUDGET_MS = 10_000;

/** How long `Page.stopScreencast` may take; a hung browser must not hold up a stop. */
const STOP_BUDGET_MS = 2000;

/**
 * The CDP screencast of one page: every frame is acknowledged at once (Chromium stops
 * sending after a few unacknowledged ones), and only the newest is kept, still base64,
 * so that frames the recorder's clock skips are never decoded.
 */
export class Screencast {
  private newest: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private waiter: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly page: CdpChannel,
    private readonly log: Logger,
  ) {}

  /** Starts the screencast; throws the CDP error if the page cannot (a closed tab). */
  static async start(page: CdpChannel, log: Logger): Promise<Screencast> {
    const screencast = new Screencast(page, log);
    screencast.unsubscribe = page.on('Page.screencastFrame', ({ data, sessionId }) => {
      screencast.newest = data;
      screencast.waiter?.();
      page.send('Page.screencastFrameAck', { sessionId }).catch((error: unknown) => {
        log.debug(
          { err: errorMessage(error) },
          'screencast frame ack failed; the page may be gone',
        );
      });
    });
    const starting = page.send('Page.startScreencast', {
      format: 'jpeg',
      quality: JPEG_QUALITY,
      maxWidth: MAX_FRAME.width,
      maxHeight: MAX_FRAME.height,
      everyNthFrame: 1,
    });
    try {
      await withDeadline(
        starting,
        START_BUDGET_MS,
        () =>
          new TrayError(
            'TIMEOUT',
            `Page.startScreencast: no answer within ${START_BUDGET_MS / 1000} s`,
          ),
      );
    } catch (error) {
      starting.catch(() => undefined);
      screencast.unsubscribe();
      throw error;
    }
    return screencast;
  }

  /** The newest frame since the last call, decoded; undefined when none came. */
  takeNewFrame(): Buffer | undefined {
    const data = this.newest;
    if (data === undefined) return undefined;
    this.newest = undefined;
    return Buffer.from(data, 'base64');
  }

  /** Waits up to `timeoutMs` for a frame and takes it. */
  async waitForFrame(timeoutMs: number): Promise<Buffer | undefined> {
    if (this.newest === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.takeNewFrame();
  }

  /**
   * Stops listening at once, then asks the page to stop sending, bounded in time. A page
   * that is gone cannot be stopped and needs not be. Safe to call twice.
   */
  stop(): Promise<void> {
    this.unsubscribe?.();
    this.waiter?.();
    this.stopping ??= this.stopOnPage();
    return this.stopping;
  }

  private async stopOnPage(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.debug('Page.stopScreencast got no answer in time; going on without it');
        resolve();
      }, STOP_BUDGET_MS);
    });
    const stopped = this.page.send('Page.stopScreencast').then(
      () => undefined,
      (error: unknown) => {
        this.log.debug({ err: errorMessage(error) }, 'stopping the screencast failed');
      },
    );
    await Promise.race([stopped, budget]);
    clearTimeout(timer);
  }
}
