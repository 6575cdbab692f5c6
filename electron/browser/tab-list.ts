import type Protocol from 'devtools-protocol';
import { errorMessage, TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';
import type { CdpConnection } from './cdp-connection';
import { PageSession } from './page-session';

/** Pages of these schemes are the browser's own, not tabs a user works in. */
const HIDDEN_URL = /^(devtools|chrome-extension):\/\//;

/** How long `sync` waits for attaches in flight. */
const SYNC_WAIT_MS = 3000;

function isTab(info: Protocol.Target.TargetInfo): boolean {
  return info.type === 'page' && !HIDDEN_URL.test(info.url);
}

/**
 * The browser's tabs in the order they appeared, and which one commands go to. Tabs a
 * page opens itself (`target=_blank`, `window.open`) join the list as they appear;
 * when the focused tab closes, the focus moves to a remaining one.
 */
export class TabList {
  private readonly pages: PageSession[] = [];
  private readonly attaching = new Map<string, Promise<PageSession | undefined>>();
  /** Tabs we closed: `Target.getTargets` lists them a little longer, and they must not return. */
  private readonly closed = new Set<string>();
  private focused: PageSession | undefined;
  private readonly focusListeners = new Set<(page: PageSession) => void>();

  /**
   * @param viewport a fixed viewport for every tab (headless only: a headless window's
   *   viewport is smaller than its --window-size, and the recorder wants exact sizes)
   */
  constructor(
    private readonly connection: CdpConnection,
    private readonly log: Logger,
    private readonly viewport?: { width: number; height: number },
  ) {}

  /** Starts tracking targets and attaches to the pages that exist already. */
  async init(): Promise<void> {
    this.connection.on('Target.targetCreated', undefined, ({ targetInfo }) => {
      if (isTab(targetInfo)) this.attach(targetInfo).catch(() => undefined);
    });
    this.connection.on('Target.targetDestroyed', undefined, ({ targetId }) => {
      this.closed.delete(targetId);
      this.remove(targetId);
    });
    this.connection.on('Target.detachedFromTarget', undefined, ({ targetId }) => {
      if (targetId) this.remove(targetId);
    });
    this.connection.on('Target.targetInfoChanged', undefined, ({ targetInfo }) => {
      const page = this.pages.find((candidate) => candidate.targetId === targetInfo.targetId);
      if (!page) return;
      page.url = targetInfo.url;
      page.title = targetInfo.title;
    });

    await this.connection.send('Target.setDiscoverTargets', { discover: true });
    const { targetInfos } = await this.connection.send('Target.getTargets');
    await Promise.all(targetInfos.filter(isTab).map((info) => this.attach(info)));
    if (this.pages.length === 0) await this.open('about:blank');
  }

  get list(): readonly PageSession[] {
    return this.pages;
  }

  /**
   * Attaches to tabs whose `targetCreated` event has not been handled yet (a popup the
   * last click opened) and waits for attaches in flight, so the list is complete.
   */
  async sync(): Promise<void> {
    const { targetInfos } = await this.connection.send('Target.getTargets');
    const tabs = targetInfos.filter(isTab);
    await Promise.all(tabs.map((info) => this.attach(info)));
    // Bounded: a tab that dies while we attach may leave its calls unanswered.
    await Promise.race([
      Promise.all(this.attaching.values()),
      new Promise((resolve) => setTimeout(resolve, SYNC_WAIT_MS)),
    ]);

    // A popup may navigate before its attach completes, and its info change is then missed.
    for (const info of tabs) {
      const page = this.pages.find((candidate) => candidate.targetId === info.targetId);
      if (!page) continue;
      page.url = info.url;
      page.title = info.title;
    }
  }

  /** The tab commands go to, if there is one. */
  get currentOrNone(): PageSession | undefined {
    return this.focused ?? this.pages[0];
  }

  get current(): PageSession {
    const page = this.currentOrNone;
    if (!page) throw new TrayError('BROWSER_GONE', 'The browser has no open tab');
    return page;
  }

  indexOf(page: PageSession): number {
    return this.pages.indexOf(page);
  }

  onFocusChange(listener: (page: PageSession) => void): () => void {
    this.focusListeners.add(listener);
    return () => this.focusListeners.delete(listener);
  }

  /** Opens a new tab and focuses it. */
  async open(url: string): Promise<PageSession> {
    const { targetId } = await this.connection.send('Target.createTarget', { url });
    const page = await this.waitForPage(targetId);
    await this.focus(page);
    return page;
  }

  async focus(page: PageSession): Promise<void> {
    if (this.focused === page) return;
    this.focused = page;
    await page.send('Page.bringToFront').catch((error: unknown) => {
      this.log.debug({ err: error }, 'bringToFront failed; the focus moves anyway');
    });
    for (const listener of this.focusListeners) listener(page);
  }

  /**
   * Re-reads a tab's url and title from the browser process. Chrome sends
   * `targetInfoChanged` on navigation but not when a page sets `document.title`. The
   * browser process answers even while the page's own thread is busy.
   */
  async refreshInfo(page: PageSession, timeoutMs = 500): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const lookup = this.connection
      .send('Target.getTargetInfo', { targetId: page.targetId })
      .catch((error: unknown) => {
        this.log.debug(
          { err: errorMessage(error) },
          'getTargetInfo failed; keeping the last known title',
        );
        return undefined;
      });
    const answer = await Promise.race([lookup, timeout]);
    clearTimeout(timer);
    if (!answer) return;
    page.url = answer.targetInfo.url;
    page.title = answer.targetInfo.title;
  }

  async close(page: PageSession): Promise<void> {
    this.closed.add(page.targetId);
    await this.connection.send('Target.closeTarget', { targetId: page.targetId });
    this.remove(page.targetId);
  }

  private async waitForPage(targetId: string): Promise<PageSession> {
    const existing = this.pages.find((page) => page.targetId === targetId);
    if (existing) return existing;

    const pending = this.attaching.get(targetId);
    const page = pending ? await pending : undefined;
    if (page) return page;

    const { targetInfo } = await this.connection.send('Target.getTargetInfo', { targetId });
    const attached = await this.attach(targetInfo);
    if (!attached)
      throw new TrayError('BROWSER_GONE', `The new tab ${targetId} closed before it could be used`);
    return attached;
  }

  private attach(info: Protocol.Target.TargetInfo): Promise<PageSession | undefined> {
    const known = this.pages.find((page) => page.targetId === info.targetId);
    if (known) return Promise.resolve(known);
    if (this.closed.has(info.targetId)) return Promise.resolve(undefined);
    const pending = this.attaching.get(info.targetId);
    if (pending) return pending;

    const attaching = this.attachNow(info).finally(() => this.attaching.delete(info.targetId));
    this.attaching.set(info.targetId, attaching);
    return attaching;
  }

  private async attachNow(info: Protocol.Target.TargetInfo): Promise<PageSession | undefined> {
    try {
      const { sessionId } = await this.connection.send('Target.attachToTarget', {
        targetId: info.targetId,
        flatten: true,
      });
      const page = new PageSession(this.connection, info.targetId, sessionId, info, this.log);
      await page.enable();
      if (this.viewport) {
        await page.send('Emulation.setDeviceMetricsOverride', {
          ...this.viewport,
          deviceScaleFactor: 1,
          mobile: false,
        });
      }
      this.pages.push(page);
      this.log.debug({ targetId: info.targetId, url: info.url }, 'tab attached');
      if (info.openerId) this.keepFocusedInFront(page);
      return page;
    } catch (error) {
      // A tab that closes while we attach is normal (a popup that shuts itself).
      this.log.debug(
        { targetId: info.targetId, err: errorMessage(error) },
        'could not attach to tab',
      );
      return undefined;
    }
  }

  /**
   * A popup comes to the front and hides the tab commands go to; a hidden tab renders
   * nothing, and input sent to it waits seconds for a frame. The focused tab stays in
   * front until `tab switch` says otherwise.
   */
  private keepFocusedInFront(attached: PageSession): void {
    const focused = this.focused ?? this.pages[0];
    if (!focused || focused === attached) return;
    focused.send('Page.bringToFront').catch((error: unknown) => {
      this.log.debug({ err: errorMessage(error) }, 'bringToFront after a popup failed');
    });
  }

  private remove(targetId: string): void {
    const index = this.pages.findIndex((page) => page.targetId === targetId);
    if (index === -1) return;

    const [page] = this.pages.splice(index, 1);
    page?.detach();
    if (page !== this.focused) return;

    this.focused = undefined;
    const next = this.pages[Math.min(index, this.pages.length - 1)];
    if (next) this.focus(next).catch(() => undefined);
  }
}
