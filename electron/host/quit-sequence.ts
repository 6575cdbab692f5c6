import type { HostedSessionData } from '../../shared/host-control';
import type { Logger } from '../daemon/logger';
import type { SessionHost, StopAllReport } from './session-host';

export interface QuitSequenceOptions {
  host: Pick<SessionHost, 'stopAll' | 'list'>;
  /** The most all hosted sessions together may take to stop before the app exits anyway. */
  deadlineMs: number;
  /** Asks the person whether to quit; false cancels. Only asked when a browser is open. */
  confirm: (sessions: HostedSessionData[]) => Promise<boolean>;
  /** Starts the platform's quit (Electron `app.quit`), which may still be cancelled. */
  quit: () => void;
  /** Ends the process at once (Electron `app.exit`): the one place the tray exits. */
  exit: (code: number) => void;
  /** Runs before the sessions stop: stop taking new sessions. */
  beforeStop: () => void;
  /** Runs once the sessions stopped or the deadline passed: monitor, tray, log. */
  afterStop: () => void;
  log: Logger;
}

/** Where the quit is: forward only, except a cancelled quit going back to `running`. */
export type QuitStage = 'running' | 'confirming' | 'quitting' | 'stopping' | 'exiting';

/**
 * Quitting the tray: ask (when a browser is open), let the platform quit, and when it is
 * certain (`will-quit`: every window closed, nothing cancelled it), stop every hosted
 * session the graceful way under one deadline, then exit. Nothing stops before the quit
 * is certain, so a cancelled quit stops nothing.
 */
export class QuitSequence {
  private current: QuitStage = 'running';
  private readonly stageListeners = new Set<(stage: QuitStage) => void>();

  constructor(private readonly options: QuitSequenceOptions) {}

  get stage(): QuitStage {
    return this.current;
  }

  /** Calls `listener` at every stage change (the tray says it is quitting); returns the undo. */
  onStageChange(listener: (stage: QuitStage) => void): () => void {
    this.stageListeners.add(listener);
    return () => {
      this.stageListeners.delete(listener);
    };
  }

  /**
   * The tray's Quit item (`ask`) or a signal (no question). Resolves with `cancelled` when
   * the person said no, `ignored` when a quit is already under way. A signal wins over an
   * open question: the quit goes on at once, and the answer, when it comes, is ignored.
   */
  async requestQuit(ask: boolean): Promise<'quitting' | 'cancelled' | 'ignored'> {
    if (this.current === 'stopping' || this.current === 'exiting') return 'ignored';
    if (this.current === 'confirming' && ask) return 'ignored';

    if (ask && this.browserOpen()) {
      this.moveTo('confirming');
      const confirmed = await this.options.confirm(this.options.host.list()).catch((error) => {
        this.options.log.error({ err: error }, 'QuitSequence - the question failed; not quitting');
        return false;
      });
      if (this.current !== 'confirming') {
        this.options.log.info({ confirmed }, 'QuitSequence - answered after a signal; ignored');
        return 'ignored';
      }
      if (!confirmed) {
        this.moveTo('running');
        this.options.log.info('QuitSequence - quit cancelled; nothing stopped');
        return 'cancelled';
      }
    }

    // A quit the platform cancelled never reaches will-quit: asking again starts over.
    this.moveTo('quitting');
    this.options.log.info({ ask }, 'QuitSequence - quitting');
    this.options.quit();
    return 'quitting';
  }

  /**
   * Electron's `will-quit`: the quit is certain. Holds it (preventDefault) until every
   * hosted session stopped or the deadline passed, then exits.
   */
  onWillQuit(event: { preventDefault(): void }): void {
    if (this.current === 'exiting') return;
    event.preventDefault();
    if (this.current === 'stopping') return;
    void this.stopThenExit();
  }

  private moveTo(stage: QuitStage): void {
    if (stage === this.current) return;
    this.current = stage;
    for (const listener of [...this.stageListeners]) {
      this.step('onStageChange', () => listener(stage));
    }
  }

  private browserOpen(): boolean {
    return this.options.host
      .list()
      .some((session) => session.phase === 'starting' || session.phase === 'running');
  }

  private async stopThenExit(): Promise<void> {
    const { log, deadlineMs } = this.options;
    this.moveTo('stopping');
    this.step('beforeStop', this.options.beforeStop);

    // stopAll keeps the deadline itself, and extends it only while recordings are finished.
    const report = await this.options.host.stopAll(deadlineMs).catch((error: unknown) => {
      log.error({ err: error }, 'QuitSequence - stopping the sessions failed');
      return undefined;
    });
    logReport(log, report, deadlineMs);

    this.step('afterStop', this.options.afterStop);
    this.moveTo('exiting');
    this.options.exit(0);
  }

  /** A failing clean-up step is logged and the quit goes on: the app must still exit. */
  private step(name: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.log.error({ err: error, step: name }, 'QuitSequence - a clean-up step failed');
    }
  }
}

function logReport(log: Logger, report: StopAllReport | undefined, deadlineMs: number): void {
  if (report === undefined) {
    log.warn({ deadlineMs }, 'QuitSequence - sessions did not report back; exiting');
  } else if (report.unfinished.length > 0) {
    // Their Chromium exits with us (its lifeline pipe closes) and ffmpeg finishes the file
    // when its input ends, so exiting now still leaves nothing running.
    log.warn({ ...report, deadlineMs }, 'QuitSequence - deadline passed; exiting anyway');
  } else {
    log.info(report, 'QuitSequence - every hosted session stopped');
  }
}
