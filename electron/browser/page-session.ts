import type Protocol from 'devtools-protocol';
import { TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';
import type {
  CdpChannel,
  CdpCommand,
  CdpConnection,
  CdpEvent,
  CdpEventParams,
  CdpParams,
  CdpResult,
} from './cdp-connection';
import { type LocateResult, locateIndexedElement, pageCall } from './dom-index';

export interface EvaluatedValue {
  /** The JSON value; undefined for `undefined` and for what JSON cannot carry. */
  value: unknown;
  /** `NaN`, `-0`, `Infinity`, `-Infinity` or a BigInt such as `1n`. */
  unserializable?: string;
}

export interface NavigationResult {
  url: string;
  /** False when the deadline passed before the load event. */
  loaded: boolean;
}

/**
 * One attached page target (a tab): its flattened CDP session, navigation that waits for
 * the load event, evaluation, and the element index. JavaScript dialogs are answered at
 * once so they never wedge the session; each is reported once in the next `state`.
 */
export class PageSession implements CdpChannel {
  url: string;
  title: string;
  private readonly dialogNotes: string[] = [];
  private mainFrameId: string | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  /** The main frame started loading a new document that has not been parsed yet. */
  private documentPending = false;
  private readonly settleWaiters = new Set<() => void>();

  constructor(
    private readonly connection: CdpConnection,
    readonly targetId: string,
    readonly sessionId: string,
    info: Protocol.Target.TargetInfo,
    private readonly log: Logger,
  ) {
    this.url = info.url;
    this.title = info.title;
  }

  send<M extends CdpCommand>(method: M, params?: CdpParams<M>): Promise<CdpResult<M>> {
    return this.connection.send(method, params, this.sessionId);
  }

  on<E extends CdpEvent>(event: E, listener: (params: CdpEventParams<E>) => void): () => void {
    return this.connection.on(event, this.sessionId, listener);
  }

  /** Enables the domains every command relies on; called once, right after attaching. */
  async enable(): Promise<void> {
    this.unsubscribers.push(
      this.on('Page.javascriptDialogOpening', (dialog) => this.answerDialog(dialog)),
      this.on('Page.frameNavigated', ({ frame }) => {
        if (frame.parentId) return;
        this.mainFrameId = frame.id;
        this.url = frame.url + (frame.urlFragment ?? '');
      }),
      this.on('Page.navigatedWithinDocument', ({ frameId, url }) => {
        if (frameId === this.mainFrameId) this.url = url;
      }),
      this.on('Page.frameStartedLoading', ({ frameId }) => {
        if (frameId === this.mainFrameId) this.documentPending = true;
      }),
      this.on('Page.lifecycleEvent', ({ frameId, name }) => {
        if (frameId === this.mainFrameId && name === 'DOMContentLoaded') this.documentSettled();
      }),
      this.on('Page.frameStoppedLoading', ({ frameId }) => {
        if (frameId === this.mainFrameId) this.documentSettled();
      }),
    );

    const [tree] = await Promise.all([
      this.send('Page.getFrameTree'),
      this.send('Page.enable'),
      this.send('Page.setLifecycleEventsEnabled', { enabled: true }),
    ]);
    this.mainFrameId = tree.frameTree.frame.id;
  }

  detach(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.documentSettled();
  }

  /**
   * Waits, up to `timeoutMs`, while the tab is between documents. Chromium holds DevTools
   * commands while a navigation is in flight, but only until the new document commits: a
   * navigation the page started by itself after the last command (a timer, a late
   * redirect) would let this command read a page still empty. Waits for the document to
   * be parsed, not for its last image, so a slow resource costs nothing here.
   */
  async settleNavigation(timeoutMs: number): Promise<void> {
    if (!this.documentPending) return;

    let wake: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      this.settleWaiters.add(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    if (wake) this.settleWaiters.delete(wake);
    if (!this.documentPending) return;

    // Only one command pays for a document that never says it is parsed.
    this.log.warn({ url: this.url, timeoutMs }, 'the page did not finish arriving in time');
    this.documentPending = false;
  }

  private documentSettled(): void {
    this.documentPending = false;
    for (const wake of this.settleWaiters) wake();
    this.settleWaiters.clear();
  }

  /** Dialog notes since the last call; each is reported once. */
  takeDialogNotes(): string[] {
    return this.dialogNotes.splice(0);
  }

  /** Evaluates an expression in the page's main world and returns its JSON value. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    return (await this.evaluateValue(expression)).value as T;
  }

  /**
   * Like `evaluate`, also giving what JSON cannot carry (`NaN`, `-0`, `Infinity`, `1n`)
   * as CDP spells it, for `eval` to show.
   */
  async evaluateValue(expression: string): Promise<EvaluatedValue> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
      userGesture: true,
    });
    if (exceptionDetails) {
      throw new TrayError('JS_ERROR', `JavaScript error: ${thrownText(exceptionDetails, result)}`);
    }
    return { value: result.value, unserializable: result.unserializableValue };
  }

  /** Navigates and waits for the main frame's load event, up to `timeoutMs`. */
  async navigate(url: string, timeoutMs: number): Promise<NavigationResult> {
    const loads = this.collectLoads();
    try {
      const result = await this.send('Page.navigate', { url });
      if (result.errorText) {
        throw new TrayError('NAVIGATION_FAILED', `Could not open ${url}: ${result.errorText}`);
      }
      // No loaderId: a same-document navigation (a #fragment), which has no load event.
      const loaded = result.loaderId ? await loads.waitFor(result.loaderId, timeoutMs) : true;
      return { url: this.url, loaded };
    } finally {
      loads.stop();
    }
  }

  /**
   * Runs an input action; if it started a main-frame navigation (a link, a submit),
   * waits for that page's load so the next command sees it.
   */
  async withNavigationWait<T>(action: () => Promise<T>, timeoutMs: number): Promise<T> {
    let requested = false;
    // Only this tab's own navigations: a window.open or target=_blank loads elsewhere.
    const stop = this.on('Page.frameRequestedNavigation', ({ frameId, disposition }) => {
      if (frameId === this.mainFrameId && disposition === 'currentTab') requested = true;
    });
    const loads = this.collectLoads();
    try {
      const result = await action();
      // The renderer may ask for the navigation just after it acknowledged the input
      // (a link's default action is a task of its own): one round trip through the page
      // lets that request arrive first.
      if (!requested) await this.roundTrip();
      if (requested) await loads.waitForAny(timeoutMs);
      return result;
    } finally {
      stop();
      loads.stop();
    }
  }

  private async roundTrip(): Promise<void> {
    await this.answersWithin(500);
  }

  /** Whether the page's main thread runs a trivial script within `ms`: it is not busy. */
  private async answersWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const probe = this.send('Runtime.evaluate', { expression: '0' }).then(
      () => true,
      () => true,
    );
    const answered = await Promise.race([probe, limit]);
    clearTimeout(timer);
    return answered;
  }

  /**
   * After an eval gave up: a script still running (`while (true) {}`) holds the page's
   * main thread, and every later command would wait behind it for ever. Such a script is
   * terminated. Only when the page is really busy: with nothing running, termination
   * would hit the next script instead, which may be the page's own. Resolves whether a
   * script was stopped, so the error can say so only when it is true.
   */
  async stopRunawayScript(): Promise<boolean> {
    if (await this.answersWithin(RUNAWAY_PROBE_MS)) return false;

    this.log.warn({ url: this.url }, 'a script still keeps the tab busy; terminating it');
    return this.send('Runtime.terminateExecution').then(
      () => true,
      (error: unknown) => {
        this.log.warn({ err: error }, 'the runaway script could not be terminated');
        return false;
      },
    );
  }

  /** Goes one entry back in history and waits for the load. */
  async back(timeoutMs: number): Promise<NavigationResult> {
    const history = await this.send('Page.getNavigationHistory');
    const previous = history.entries[history.currentIndex - 1];
    if (!previous)
      throw new TrayError('BAD_REQUEST', 'back: there is no previous page in this tab');

    const loads = this.collectLoads();
    try {
      await this.send('Page.navigateToHistoryEntry', { entryId: previous.id });
      const loaded = await loads.waitForAny(timeoutMs);
      return { url: this.url, loaded };
    } finally {
      loads.stop();
    }
  }

  /**
   * Finds an indexed element, scrolls it into view (unless `scroll` is false, for commands
   * that only read), and returns its centre.
   */
  async locate(index: number, scroll = true): Promise<Extract<LocateResult, { ok: true }>> {
    const found = await this.evaluate<LocateResult>(pageCall(locateIndexedElement, index, scroll));
    if (found.ok) return found;

    switch (found.reason) {
      case 'no-index':
        throw new TrayError(
          'NO_SUCH_ELEMENT',
          `No element ${index}: this page has no index yet. Run \`btray state\` first.`,
        );
      case 'unknown':
        throw new TrayError(
          'NO_SUCH_ELEMENT',
          `No element ${index}: the last \`state\` listed ${found.count}. Run \`btray state\` again.`,
        );
      case 'stale':
        throw new TrayError(
          'STALE_ELEMENT',
          `Element ${index} is no longer on the page. Run \`btray state\` for fresh indices.`,
        );
      case 'hidden':
        throw new TrayError(
          'STALE_ELEMENT',
          `Element ${index} is not visible any more. Run \`btray state\` for fresh indices.`,
        );
    }
  }

  /** A remote object reference to an indexed element, for DOM commands (upload, select). */
  async elementObjectId(index: number): Promise<string> {
    await this.locate(index);
    const { result } = await this.send('Runtime.evaluate', {
      expression: `window.__btrayIndex[${index - 1}]`,
    });
    if (!result.objectId) throw new TrayError('NO_SUCH_ELEMENT', `No element ${index}`);
    return result.objectId;
  }

  private answerDialog(dialog: Protocol.Page.JavascriptDialogOpeningEvent): void {
    const promptText = dialog.type === 'prompt' ? (dialog.defaultPrompt ?? '') : undefined;
    this.dialogNotes.push(
      `${dialog.type === 'alert' ? 'an' : 'a'} ${dialog.type} dialog said ` +
        `${JSON.stringify(dialog.message)}; it was accepted`,
    );
    this.log.info({ type: dialog.type }, 'JavaScript dialog answered automatically');
    this.send('Page.handleJavaScriptDialog', { accept: true, promptText }).catch(
      (error: unknown) => {
        this.log.debug({ err: error }, 'answering a dialog failed; it was probably closed already');
      },
    );
  }

  /** Records main-frame load events from now on, so none is missed while a call is in flight. */
  private collectLoads(): LoadCollector {
    return new LoadCollector(this, () => this.mainFrameId);
  }
}

/**
 * What a script threw, for a person: an Error's message and stack as the page shows it,
 * else the thrown value itself (`throw "plain"`, a rejected `{ code: 1 }`), which CDP's
 * `text` ("Uncaught") and `description` ("Object") leave out.
 */
function thrownText(
  details: Protocol.Runtime.ExceptionDetails,
  result: Protocol.Runtime.RemoteObject,
): string {
  const exception = details.exception;
  if (exception?.subtype === 'error' && exception.description) return exception.description;

  // A rejected promise's reason comes by value in `result`; a thrown one in `exception`.
  const thrown =
    exception && 'value' in exception
      ? exception.value
      : 'value' in result
        ? result.value
        : undefined;
  if (thrown !== undefined) {
    return `${details.text} ${typeof thrown === 'string' ? thrown : JSON.stringify(thrown)}`;
  }
  const preview = exception?.preview?.properties
    .map((property) => `${property.name}: ${property.value ?? property.type}`)
    .join(', ');
  if (preview !== undefined) return `${details.text} {${preview}}`;
  return exception?.description ?? exception?.unserializableValue ?? details.text;
}

/** How long a page may take to run `0` before it counts as busy with a script of its own. */
const RUNAWAY_PROBE_MS = 300;

/** A navigation that settled without a load event of its own. */
const WITHIN_DOCUMENT = '#within-document';
const STOPPED_LOADING = '#stopped-loading';

/**
 * Watches the main frame for a navigation settling: a `load` lifecycle event (by
 * loader), a same-document navigation (a #fragment, history.pushState), or loading that
 * stopped without a load (a 204 answer, a download).
 */
class LoadCollector {
  private readonly loaders = new Set<string>();
  private waiter: ((loaderId: string) => void) | undefined;
  private readonly stops: Array<() => void> = [];

  constructor(page: PageSession, mainFrame: () => string | undefined) {
    this.stops.push(
      page.on('Page.lifecycleEvent', (event) => {
        if (event.name === 'load' && event.frameId === mainFrame()) this.record(event.loaderId);
      }),
      page.on('Page.navigatedWithinDocument', ({ frameId }) => {
        if (frameId === mainFrame()) this.record(WITHIN_DOCUMENT);
      }),
      page.on('Page.frameStoppedLoading', ({ frameId }) => {
        if (frameId === mainFrame()) this.record(STOPPED_LOADING);
      }),
    );
  }

  private record(loaderId: string): void {
    this.loaders.add(loaderId);
    this.waiter?.(loaderId);
  }

  waitFor(loaderId: string, timeoutMs: number): Promise<boolean> {
    return this.wait((id) => id === loaderId, timeoutMs);
  }

  waitForAny(timeoutMs: number): Promise<boolean> {
    return this.wait(() => true, timeoutMs);
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.waiter = undefined;
  }

  private wait(matches: (loaderId: string) => boolean, timeoutMs: number): Promise<boolean> {
    if ([...this.loaders].some(matches)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, timeoutMs);
      this.waiter = (loaderId) => {
        if (!matches(loaderId)) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(true);
      };
    });
  }
}
