import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { errorMessage, TrayError } from '../../shared/errors';
import type { HostedSessionData } from '../../shared/host-control';
import { sessionNameProblem } from '../../shared/session-name';
import { type DaemonConfig, defaultDaemonConfig, wireConfig } from '../daemon/daemon-config';
import { createSessionLogger, type Logger } from '../daemon/logger';
import { ensureHome, sessionPaths } from '../daemon/paths';
import { SessionDaemon, type StopOutcome } from '../daemon/session-daemon';
import { socketAnswers } from '../daemon/socket-probe';

export interface SessionHostOptions {
  home: string;
  /** The environment hosted daemons take their defaults from and hand to Chromium. */
  env: NodeJS.ProcessEnv;
  /** The host's own log; each session logs to its own file in the home folder. */
  log: Logger;
}

/** How to run one hosted session; what is absent takes the daemon's default. */
export interface HostedSessionOptions {
  headed?: boolean;
  profile?: string | null;
  cdpUrl?: string | null;
  idleTimeoutS?: number | null;
}

/** What {@link SessionHost.stopAll} managed before its deadline. */
export interface StopAllReport {
  stopped: string[];
  /** Sessions still shutting down at the deadline (a long recording, a hung browser). */
  unfinished: string[];
}

interface HostedSession {
  daemon: SessionDaemon;
  log: Logger;
}

/** How long a stopped session's log file stays open for late lines of requests in flight. */
const LOG_CLOSE_GRACE_MS = 30_000;

/**
 * Many session daemons in one process: the tray's. Each session is a full
 * {@link SessionDaemon} with its own socket, token, state file and log; a session's
 * shutdown only removes it from the host, which keeps running.
 */
export class SessionHost {
  private readonly sessions = new Map<string, HostedSession>();
  private readonly starting = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private closing = false;

  constructor(private readonly options: SessionHostOptions) {}

  /**
   * Starts a session in this process and resolves at phase `ready`. Refuses a bad name,
   * and a session that is already live here or anywhere else (its socket answers).
   */
  async create(name: string, options: HostedSessionOptions = {}): Promise<HostedSessionData> {
    const problem = sessionNameProblem(name);
    if (problem) throw new TrayError('BAD_REQUEST', problem);
    this.refuseWhileClosing();
    if (this.sessions.has(name) || this.starting.has(name)) {
      throw new TrayError('BAD_REQUEST', `Session ${name} is already running in the tray`);
    }

    this.starting.add(name);
    try {
      return await this.startDaemon(name, options);
    } finally {
      this.starting.delete(name);
    }
  }

  /** Shuts one hosted session down the graceful way; resolves once it has stopped. */
  stop(name: string, reason = 'stopped from the tray'): Promise<StopOutcome> {
    const hosted = this.sessions.get(name);
    if (!hosted) {
      return Promise.reject(
        new TrayError('BAD_REQUEST', `Session ${name} is not hosted by this tray`),
      );
    }
    return hosted.daemon.requestShutdown(reason);
  }

  /**
   * Shuts every hosted session down at once (each finishes its recording and closes its
   * browser) and resolves when all have stopped or at the deadline, whichever is first.
   * The deadline waits for recordings being finished: a video is never cut short. No
   * session is created afterwards.
   */
  async stopAll(deadlineMs: number, reason = 'the tray is quitting'): Promise<StopAllReport> {
    this.closing = true;
    const finished = new Set<string>();
    const daemons = [...this.sessions.entries()].map(([name, hosted]) => ({
      name,
      daemon: hosted.daemon,
    }));

    const stops = daemons.map(async ({ name, daemon }) => {
      try {
        await daemon.requestShutdown(reason);
        finished.add(name);
      } catch (error) {
        this.options.log.error({ session: name, err: error }, 'SessionHost#stopAll - stop failed');
      }
    });
    // The deadline is its own timer, so it holds to the millisecond on a busy event loop;
    // past it, only a recording still being finished keeps us waiting.
    const deadline = new AbortController();
    let settled = false;
    const deadlinePassed = async (): Promise<void> => {
      await delay(deadlineMs, undefined, { signal: deadline.signal }).catch(() => undefined);
      const recording = () =>
        daemons.some(({ name, daemon }) => !finished.has(name) && daemon.isFinishingRecording);
      while (!settled && recording()) await delay(50);
    };
    await Promise.race([Promise.all(stops), deadlinePassed()]);
    settled = true;
    deadline.abort();

    const names = daemons.map(({ name }) => name);
    const report: StopAllReport = {
      stopped: names.filter((name) => finished.has(name)),
      unfinished: names.filter((name) => !finished.has(name)),
    };
    this.options.log.info(report, 'SessionHost#stopAll - done');
    return report;
  }

  /** The hosted sessions, sorted by name. */
  list(): HostedSessionData[] {
    return [...this.sessions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, hosted]) => describe(hosted.daemon));
  }

  has(name: string): boolean {
    return this.sessions.has(name);
  }

  /** Calls `listener` whenever a session joins or leaves the host. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private async startDaemon(
    name: string,
    options: HostedSessionOptions,
  ): Promise<HostedSessionData> {
    const { home, log } = this.options;
    ensureHome(home);
    const paths = sessionPaths(home, name);
    // Checked before the daemon writes anything, so a live session's files stay untouched.
    if (await socketAnswers(paths.socket)) {
      throw new TrayError('BAD_REQUEST', `Session ${name} is already running`);
    }
    this.refuseWhileClosing();

    const config = this.configFor(name, options);
    const sessionLog = createSessionLogger(paths.log, config.logLevel, name);
    const daemon = new SessionDaemon(config, sessionLog);
    this.sessions.set(name, { daemon, log: sessionLog });
    void daemon.stopped.then((outcome) => this.drop(name, daemon, outcome));

    await daemon.start();
    log.info({ session: name, socket: paths.socket }, 'SessionHost#create - session ready');
    this.changed();
    return describe(daemon);
  }

  private configFor(name: string, options: HostedSessionOptions): DaemonConfig {
    const defaults = defaultDaemonConfig(name, this.options.home, this.options.env);
    const idleTimeoutS = options.idleTimeoutS ?? null;
    return {
      ...defaults,
      host: 'tray',
      headed: options.headed ?? defaults.headed,
      profile: options.profile ?? defaults.profile,
      cdpUrl: options.cdpUrl ?? defaults.cdpUrl,
      idleTimeoutMs: idleTimeoutS === null ? defaults.idleTimeoutMs : idleTimeoutS * 1000,
    };
  }

  /** A stopped (or failed) daemon leaves the host; the host itself carries on. */
  private drop(name: string, daemon: SessionDaemon, outcome: StopOutcome): void {
    const hosted = this.sessions.get(name);
    if (hosted?.daemon !== daemon) return;

    this.sessions.delete(name);
    this.options.log.info({ session: name, ...outcome }, 'SessionHost#drop - session left');
    closeLogLater(hosted.log, this.options.log);
    this.changed();
  }

  private refuseWhileClosing(): void {
    if (this.closing) throw new TrayError('SHUTTING_DOWN', 'The tray is quitting');
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.options.log.error({ err: error }, 'SessionHost#changed - a listener threw');
      }
    }
  }
}

function describe(daemon: SessionDaemon): HostedSessionData {
  return {
    session: daemon.session,
    phase: daemon.phase,
    socket: daemon.paths.socket,
    config: wireConfig(daemon.config),
  };
}

/**
 * A long-lived tray must not keep one file open per session it ever hosted. Requests
 * that were in flight at shutdown may still log a line, hence the grace period.
 */
function closeLogLater(sessionLog: Logger, hostLog: Logger): void {
  const timer = setTimeout(() => {
    const stream = (sessionLog as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
    try {
      sessionLog.flush();
      if (isEndable(stream)) stream.end();
    } catch (error) {
      hostLog.debug({ err: errorMessage(error) }, 'SessionHost - closing a session log failed');
    }
  }, LOG_CLOSE_GRACE_MS);
  timer.unref();
}

function isEndable(value: unknown): value is { end(): void } {
  return typeof value === 'object' && value !== null && 'end' in value;
}
