import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { errorMessage, isTrayError, TrayError } from '../../shared/errors';
import { canAdvance, type Phase } from '../../shared/phases';
import {
  MAX_REQUEST_BYTES,
  type PingData,
  REQUEST_READ_DEADLINE_MS,
  type Response,
  type StatusData,
} from '../../shared/protocol';
import { type SessionStateFile, STATE_SCHEMA_VERSION } from '../../shared/state-file';
import type { BrowserSession } from '../browser/browser-session';
import type { ChromeProcess } from '../browser/chrome-launcher';
import type { PageSession } from '../browser/page-session';
import { Recorder } from '../browser/recorder';
import { sweepOrphanedProfiles } from '../browser/temp-profiles';
import { type CommandContext, cancelledError, type SessionContext } from '../commands/command';
import { withDeadline } from '../commands/deadline';
import { COMMANDS } from '../commands/index';
import { parseParams } from '../commands/parse-params';
import { generateToken, writeTokenFile } from './auth-token';
import { type DaemonConfig, wireConfig } from './daemon-config';
import { IdleWatchdog } from './idle-watchdog';
import type { Logger } from './logger';
import { ensureHome, type SessionPaths, sessionPaths } from './paths';
import { processAlive } from './process-alive';
import { parseRequestLine } from './request-parser';
import { SessionBrowser, type SessionBrowserEvents } from './session-browser';
import { SessionClaim } from './session-claim';
import { parseSocketAddress } from './socket-address';
import { socketAnswers } from './socket-probe';
import { type LineOutcome, RequestServer } from './socket-server';
import { readStateFile } from './state-file';
import { StateFileWriter } from './state-file-writer';
import { describeStatus } from './status-text';

/** How long shutdown waits for requests in flight to be answered. */
const ANSWER_DRAIN_MS = 2000;

/**
 * Who ended a session: someone `asked` (a client's shutdown, `close`, a signal, the
 * tray), or it ended `by-itself` (idle timeout, its browser gone, a crash).
 */
export type ShutdownOrigin = 'asked' | 'by-itself';

/** The signal of a request nothing cancels: its client may half-close while it waits. */
const NEVER_CANCELLED = new AbortController().signal;

/** Why the daemon stopped, for the host's exit code and log. */
export interface StopOutcome {
  reason: string;
  phase: 'stopped' | 'failed';
}

/**
 * One session: its socket, token, state file, watchdogs and browser. Runs the same in
 * a headless process and inside the tray. {@link stopped} resolves once everything is
 * cleaned up; the host decides what to do next (the headless entry exits).
 */
export class SessionDaemon {
  readonly paths: SessionPaths;
  readonly stopped: Promise<StopOutcome>;
  private currentPhase: Phase = 'initializing';
  private lastError: string | undefined;
  private token = '';
  private readonly claim: SessionClaim;
  private readonly server: RequestServer;
  private readonly idle: IdleWatchdog;
  private readonly recorder: Recorder;
  private readonly browser: SessionBrowser;
  private readonly stateFile: StateFileWriter;
  private queue: Promise<unknown> = Promise.resolve();
  private shutdown: Promise<StopOutcome> | undefined;
  private stopCause: { reason: string; byItself: boolean } | undefined;
  private resolveStopped: (outcome: StopOutcome) => void = () => undefined;
  private finishingRecording = false;

  constructor(
    readonly config: DaemonConfig,
    private readonly log: Logger,
  ) {
    this.paths = sessionPaths(config.home, config.session);
    this.claim = new SessionClaim(this.paths.claim);
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.idle = new IdleWatchdog(config.idleTimeoutMs, (idleMs) => {
      this.log.info({ idleMs }, 'idle timeout reached');
      void this.requestShutdown(`idle for ${Math.round(idleMs / 1000)} s`, 'by-itself');
    });
    this.recorder = new Recorder({
      ffmpegPath: config.ffmpegPath,
      env: config.env,
      log: log.child({ ns: 'recorder' }),
      onChange: () => {
        if (this.currentPhase !== 'stopped') this.writeState();
      },
    });
    this.browser = new SessionBrowser(config, this.browserEvents(), log.child({ ns: 'browser' }));
    this.stateFile = new StateFileWriter(this.paths.state, () => this.describeState(), log);
    this.server = new RequestServer({
      maxRequestBytes: MAX_REQUEST_BYTES,
      readDeadlineMs: REQUEST_READ_DEADLINE_MS,
      handleLine: (line, clientGone) => this.handleLine(line, clientGone),
      log: log.child({ ns: 'socket' }),
    });
  }

  get phase(): Phase {
    return this.currentPhase;
  }

  /** True while shutdown waits for a recording to be finished (with no time limit). */
  get isFinishingRecording(): boolean {
    return this.finishingRecording;
  }

  get session(): string {
    return this.config.session;
  }

  /** Claims the session, binds its socket, and resolves at phase `ready`. */
  async start(): Promise<void> {
    ensureHome(this.config.home);
    this.claim.acquire();
    try {
      // Until this check passes the files belong to someone else: touch none of them.
      await this.refuseLiveOwner();
    } catch (error) {
      this.log.error({ err: errorMessage(error) }, 'daemon start-up refused');
      this.claim.release();
      this.resolveStopped({ reason: errorMessage(error), phase: 'failed' });
      throw error;
    }

    try {
      this.setPhase('initializing');

      this.token = generateToken();
      writeTokenFile(this.paths.token, this.token);

      await this.server.listen(this.paths.socket);

      writeFileSync(this.paths.pid, String(process.pid), { mode: 0o644 });
      this.claim.release();

      this.idle.start();
      this.setPhase('ready');
      this.log.info(
        { socket: this.paths.socket, idleTimeoutMs: this.config.idleTimeoutMs },
        'daemon ready',
      );
      this.sweepOrphanedProfiles();
    } catch (error) {
      this.log.error({ err: errorMessage(error) }, 'daemon start-up failed');
      this.server.close();
      this.removeOwnFiles();
      this.claim.release();
      this.lastError = errorMessage(error);
      this.setPhase('failed');
      this.resolveStopped({ reason: `start-up failed: ${errorMessage(error)}`, phase: 'failed' });
      throw error;
    }
  }

  /**
   * Shuts the session down, once, whatever asks (a client, a signal, a watchdog, the
   * tray). Every caller gets the same promise.
   */
  requestShutdown(reason: string, origin: ShutdownOrigin = 'asked'): Promise<StopOutcome> {
    if (!this.shutdown) this.stopCause = { reason, byItself: origin === 'by-itself' };
    this.shutdown ??= this.runShutdown(reason);
    return this.shutdown;
  }

  /** What `status` answers and the dashboard shows. */
  async status(): Promise<StatusData> {
    const browser = this.browser.current;
    const page = browser?.isConnected ? currentPage(browser) : undefined;
    if (page && browser) await browser.tabs.refreshInfo(page);
    return {
      session: this.config.session,
      pid: process.pid,
      phase: this.currentPhase,
      config: wireConfig(this.config),
      idle_seconds_left: this.idle.secondsLeft(),
      idle_timeout_s: Math.round(this.config.idleTimeoutMs / 1000),
      keep_open: this.idle.isPaused,
      last_command_at: this.idle.lastActivityAt / 1000,
      recording: this.recorder.status(),
      browser: browser
        ? { pid: browser.pid, connected: browser.isConnected, launched: browser.launched }
        : null,
      url: page?.url ?? null,
      title: page?.title ?? null,
      tabs: browser?.tabs.list.length ?? 0,
    };
  }

  private async runShutdown(reason: string): Promise<StopOutcome> {
    this.log.info({ reason }, 'shutting down');
    this.setPhase('shutting_down');

    this.server.close();

    this.idle.stop();
    this.browser.stopWatching();
    this.stateFile.cancel();

    // The video is finished before the browser closes, with no time limit: a recording is
    // never cut short, and the phase stays shutting_down until the file is complete.
    this.finishingRecording = true;
    await this.recorder.finish();
    this.finishingRecording = false;

    await this.browser.close();

    // Commands cut short by the closing browser still get their answer before we go.
    await this.server.drain(ANSWER_DRAIN_MS);

    this.removeOwnFiles();

    this.setPhase('stopped');
    this.log.info({ reason }, 'daemon stopped');
    const outcome: StopOutcome = { reason, phase: 'stopped' };
    this.resolveStopped(outcome);
    return outcome;
  }

  /** In the background: the profiles that daemons killed with SIGKILL left behind. */
  private sweepOrphanedProfiles(): void {
    sweepOrphanedProfiles(processAlive).then(
      (removed) => {
        if (removed.length > 0) this.log.info({ removed }, 'removed profiles of dead daemons');
      },
      (error: unknown) => this.log.warn({ err: errorMessage(error) }, 'profile sweep failed'),
    );
  }

  /** Removes the PID and token files, but only while they are still ours. */
  private removeOwnFiles(): void {
    removeIfContent(this.paths.pid, String(process.pid), this.log);
    if (this.token) removeIfContent(this.paths.token, this.token, this.log);
  }

  /**
   * Refuses to start when a daemon answers on the session socket; a socket file nobody
   * answers on was left by a dead daemon and is removed before binding.
   */
  private async refuseLiveOwner(): Promise<void> {
    if (await socketAnswers(this.paths.socket)) {
      throw new TrayError('BAD_REQUEST', `Session ${this.config.session} is already running`);
    }
    const address = parseSocketAddress(this.paths.socket);
    if (address.kind === 'unix') rmSync(address.path, { force: true });
  }

  private async handleLine(line: string, clientGone: AbortSignal): Promise<LineOutcome> {
    const parsed = parseRequestLine(line, this.token);
    if (!parsed.ok) {
      this.log.warn({ code: parsed.response.code }, 'request refused');
      return { response: parsed.response };
    }

    const { id, action, params, cancelOnDisconnect } = parsed.request;
    this.log.debug({ id, action }, 'request');
    if (action === 'shutdown') {
      return {
        response: { id, success: true, data: { shutdown: true } },
        afterAnswer: () => void this.requestShutdown('a client asked for shutdown'),
      };
    }
    // Only a client that said it never half-closes is taken to be gone when its side ends.
    const cancelled = cancelOnDisconnect ? clientGone : NEVER_CANCELLED;
    return { response: await this.dispatch(id, action, params, cancelled) };
  }

  private async dispatch(
    id: string,
    action: string,
    params: Record<string, unknown>,
    cancelled: AbortSignal,
  ): Promise<Response> {
    try {
      const data = await this.run(action, params, cancelled);
      return { id, success: true, data };
    } catch (error) {
      const code = isTrayError(error) ? error.code : 'INTERNAL';
      if (code === 'INTERNAL')
        this.log.error({ err: error, action }, 'command failed unexpectedly');
      else this.log.info({ action, code, error: errorMessage(error) }, 'command failed');
      return { id, success: false, error: errorMessage(error), code };
    }
  }

  private async run(
    action: string,
    params: Record<string, unknown>,
    cancelled: AbortSignal,
  ): Promise<unknown> {
    switch (action) {
      case 'ping':
        return this.ping();
      case 'status': {
        const status = await this.status();
        return { ...status, _raw_text: describeStatus(status) };
      }
      case 'keep_open':
        return this.keepOpen(params);
      case 'python':
        throw new TrayError(
          'NOT_SUPPORTED',
          'python is not supported by Browser Tray; use `eval` to run JavaScript in the page',
        );
      case 'extract':
        throw new TrayError(
          'NOT_SUPPORTED',
          'extract is not supported by Browser Tray (it needs an LLM); use `state` or `get text`',
        );
    }

    const command = COMMANDS.get(action);
    if (!command) throw new TrayError('UNKNOWN_ACTION', `Unknown action: ${action}`);
    if (this.currentPhase === 'shutting_down' || this.currentPhase === 'stopped') {
      throw new TrayError('SHUTTING_DOWN', 'The session is shutting down');
    }

    const checked = parseParams(action, command.params, params);
    this.noteCommand();
    const atOnce = command.answerAtOnce?.(this.sessionContext(), checked);
    if (atOnce) return atOnce;

    this.idle.begin();
    try {
      return await this.enqueue(async () => {
        // A command that waited in the queue while the session shut down must not start a new browser.
        if (this.shutdown) throw new TrayError('SHUTTING_DOWN', 'The session is shutting down');
        // Nobody is left to read the answer of a queued command whose client went away.
        if (cancelled.aborted) throw cancelledError(action);
        const browser = await this.browser.ensure();
        await browser.tabs.currentOrNone?.settleNavigation(this.config.navigationTimeoutMs);
        const work = command.run(this.commandContext(browser, cancelled), checked);
        return command.ownDeadline ? work : this.withCommandDeadline(action, work, browser);
      });
    } finally {
      this.idle.end();
    }
  }

  private ping(): PingData {
    const config = wireConfig(this.config);
    return {
      session: this.config.session,
      pid: process.pid,
      ...config,
      cdp_url: this.browser.current?.wsEndpoint ?? config.cdp_url,
    };
  }

  private keepOpen(params: Record<string, unknown>): { keep_open: boolean; _raw_text: string } {
    if (typeof params.on !== 'boolean')
      throw new TrayError('BAD_REQUEST', 'keep_open: on must be true or false');
    this.idle.setPaused(params.on);
    this.log.info({ keepOpen: params.on }, 'keep-open changed');
    this.writeState();
    const text = params.on
      ? 'Keep-open on: the idle timeout is paused'
      : 'Keep-open off: the idle timeout runs again';
    return { keep_open: params.on, _raw_text: text };
  }

  /** Browser commands of one session run one at a time, in arrival order. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private sessionContext(): SessionContext {
    return {
      recorder: this.recorder,
      navigationTimeoutMs: this.config.navigationTimeoutMs,
      log: this.log.child({ ns: 'command' }),
    };
  }

  /**
   * A command must not hold the session for ever: a page whose own script never yields
   * (`while (true) {}` in a timer) leaves every CDP call to that tab unanswered. At the
   * deadline the command is answered TIMEOUT, such a script is stopped, and the queue
   * moves on; the late answer, if any, is dropped.
   */
  private async withCommandDeadline<T>(
    action: string,
    work: Promise<T>,
    browser: BrowserSession,
  ): Promise<T> {
    const timeoutMs = this.config.commandTimeoutMs;
    try {
      return await withDeadline(work, {
        timeoutMs,
        timedOut: () => new TrayError('TIMEOUT', `${action}: deadline`),
      });
    } catch (error) {
      if (!isTrayError(error, 'TIMEOUT')) throw error;
      this.log.warn({ action, timeoutMs }, 'a command passed its deadline');
      const stopped = (await browser.tabs.currentOrNone?.stopRunawayScript()) ?? false;
      throw commandTimeout(action, timeoutMs, stopped);
    }
  }

  private commandContext(browser: BrowserSession, cancelled: AbortSignal): CommandContext {
    return { ...this.sessionContext(), browser, cancelled };
  }

  /**
   * Starts the browser now from a Chromium launch the host began before this daemon had
   * finished loading (see {@link SessionBrowser.startFrom}).
   */
  startBrowserFrom(launch: Promise<ChromeProcess>): void {
    this.browser.startFrom(launch);
  }

  private browserEvents(): SessionBrowserEvents {
    return {
      onStarting: () => this.setPhase('starting'),
      onRunning: () => {
        this.lastError = undefined;
        this.setPhase('running');
      },
      onFailed: (reason) => {
        this.lastError = reason;
        this.setPhase('failed');
      },
      onGone: (reason) => void this.requestShutdown(`browser gone: ${reason}`, 'by-itself'),
      onFocusChange: (page) => {
        this.recorder.follow(page).catch((error: unknown) => {
          this.log.warn({ err: errorMessage(error) }, 'the recording could not follow the tab');
        });
      },
    };
  }

  private noteCommand(): void {
    // The state file carries the last command time for the dashboard, batched.
    if (!this.shutdown) this.stateFile.writeSoon();
  }

  private setPhase(phase: Phase): void {
    if (phase !== this.currentPhase && !canAdvance(this.currentPhase, phase)) {
      this.log.debug({ from: this.currentPhase, to: phase }, 'phase change refused');
      return;
    }
    this.currentPhase = phase;
    this.log.info({ phase }, 'phase');
    this.writeState();
  }

  /**
   * Once this daemon has closed its socket, a new daemon of the same session may start
   * while this one still finishes (a recording, a slow browser): the state file is then
   * the new one's, and writing `stopped` over it would hide a live session.
   */
  private writeState(): void {
    if (this.shutdown && !this.stateFileIsOurs()) return;
    this.stateFile.write();
  }

  private stateFileIsOurs(): boolean {
    const read = readStateFile(this.paths.state);
    if (!read.ok || read.state.pid === process.pid) return true;
    this.log.info(
      { owner: read.state.pid },
      'the state file belongs to a newer daemon of this session; left as it is',
    );
    return false;
  }

  private describeState(): SessionStateFile {
    return {
      schema: STATE_SCHEMA_VERSION,
      session: this.config.session,
      phase: this.currentPhase,
      pid: process.pid,
      updated_at: Date.now() / 1000,
      config: wireConfig(this.config),
      host: this.config.host,
      idle_timeout_s: Math.round(this.config.idleTimeoutMs / 1000),
      keep_open: this.idle.isPaused,
      last_command_at: this.idle.lastActivityAt / 1000,
      recording: this.recorder.status(),
      browser_pid: this.browser.current?.pid ?? null,
      ...(this.currentPhase === 'failed' && this.lastError ? { error: this.lastError } : {}),
      ...(this.stopCause
        ? { stop_reason: this.stopCause.reason, stopped_by_itself: this.stopCause.byItself }
        : {}),
    };
  }
}

/** The tab commands go to, or undefined while the browser has none. */
function currentPage(browser: BrowserSession): PageSession | undefined {
  try {
    return browser.page;
  } catch {
    return undefined;
  }
}

function removeIfContent(path: string, expected: string, log: Logger): void {
  try {
    if (readFileSync(path, 'utf8').trim() === expected) rmSync(path, { force: true });
  } catch (error) {
    log.debug({ path, err: errorMessage(error) }, 'file already gone at shutdown');
  }
}

/** The command's TIMEOUT, saying whether a script of the page was what held it. */
function commandTimeout(action: string, timeoutMs: number, stoppedScript: boolean): TrayError {
  const why = stoppedScript
    ? ' (a script of the page kept the tab busy; it was stopped, so the next command can run)'
    : '';
  return new TrayError(
    'TIMEOUT',
    `${action}: no answer from the browser within ${timeoutMs / 1000} s${why}`,
  );
}
