import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { errorMessage } from '../../shared/errors';
import { isLivePhase } from '../../shared/phases';
import type { StatusData } from '../../shared/protocol';
import { sessionNameProblem } from '../../shared/session-name';
import type { DashboardSnapshot, SessionSnapshot } from '../../shared/snapshot';
import type { SessionStateFile } from '../../shared/state-file';
import { readTokenFile } from '../daemon/auth-token';
import type { Logger } from '../daemon/logger';
import { sessionPaths } from '../daemon/paths';
import { sendRequest } from '../daemon/socket-client';
import { readStateFile } from '../daemon/state-file';

const STATE_SUFFIX = '.state.json';

export interface SessionMonitorOptions {
  home: string;
  log: Logger;
  /** How often the home folder is rescanned; fs.watch alone misses events on some systems. */
  pollIntervalMs?: number;
  /** How long one session may take to answer `status` before it counts as unresponsive. */
  statusTimeoutMs?: number;
  /** A snapshot goes out at least this often, so idle countdowns never drift far. */
  heartbeatMs?: number;
  /** A session that is no longer live stays visible this long after its last state write. */
  retentionMs?: number;
}

type SnapshotListener = (snapshot: DashboardSnapshot) => void;

/**
 * Follows every session in the home folder, whoever hosts it: reads the state files,
 * asks each live session for `status`, and hands out {@link DashboardSnapshot}s. Nothing
 * on disk or on a socket can make it throw: a broken session is shown with a `problem`.
 */
export class SessionMonitor {
  private readonly listeners = new Set<SnapshotListener>();
  private latest: DashboardSnapshot | undefined;
  private lastEmitted: DashboardSnapshot | undefined;
  private lastEmitAt = 0;
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private watchDebounce: NodeJS.Timeout | undefined;
  private scanning: Promise<DashboardSnapshot> | undefined;
  private rescanWanted = false;
  private running = false;

  constructor(private readonly options: SessionMonitorOptions) {}

  /** Starts watching; the first snapshot follows as soon as the first scan ends. */
  start(): void {
    if (this.running) return;
    this.running = true;

    this.watchHome();
    this.pollTimer = setInterval(() => this.poll(), this.options.pollIntervalMs ?? 1000);
    this.poll();
  }

  stop(): void {
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.watchDebounce) clearTimeout(this.watchDebounce);
    this.watcher?.close();
    this.watcher = undefined;
    this.listeners.clear();
  }

  /** The last snapshot taken, if any scan has finished yet. */
  current(): DashboardSnapshot | undefined {
    return this.latest;
  }

  /** Calls `listener` with the latest snapshot at once (if there is one), then each new one. */
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Scans now and resolves with the resulting snapshot. A scan already under way is
   * followed by one more, so the answer reflects everything that happened before the call.
   */
  refresh(): Promise<DashboardSnapshot> {
    if (this.scanning) {
      this.rescanWanted = true;
      return this.scanning;
    }

    this.scanning = this.scan().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private poll(): void {
    if (!this.running) return;
    if (!this.watcher) this.watchHome();
    this.refresh().catch((error: unknown) => {
      this.options.log.error({ err: error }, 'SessionMonitor#poll - scan failed');
    });
  }

  /** fs.watch fails while the home folder does not exist yet; the poll retries it. */
  private watchHome(): void {
    if (!existsSync(this.options.home)) return;
    try {
      this.watcher = watch(this.options.home, { persistent: false }, (_event, file) => {
        if (file && !String(file).endsWith(STATE_SUFFIX)) return;
        this.scheduleWatchScan();
      });
      this.watcher.on('error', (error) => {
        this.options.log.debug({ err: error }, 'SessionMonitor#watch - watcher failed; polling');
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.options.log.debug({ err: error }, 'SessionMonitor#watch - cannot watch; polling');
    }
  }

  /** A phase change writes a temp file then renames it: one scan covers the burst. */
  private scheduleWatchScan(): void {
    if (this.watchDebounce) return;
    this.watchDebounce = setTimeout(() => {
      this.watchDebounce = undefined;
      this.poll();
    }, 30);
  }

  private async scan(): Promise<DashboardSnapshot> {
    do {
      this.rescanWanted = false;
      const names = this.sessionNames();
      const sessions = await Promise.all(names.map((name) => this.observe(name)));
      this.publish(sessions.filter((session) => session !== undefined));
    } while (this.rescanWanted);

    return this.latest ?? { taken_at: Date.now(), home: this.options.home, sessions: [] };
  }

  private sessionNames(): string[] {
    let files: string[];
    try {
      files = readdirSync(this.options.home);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.options.log.warn({ err: error }, 'cannot list the home folder');
      return [];
    }

    return files
      .filter((file) => file.endsWith(STATE_SUFFIX))
      .map((file) => file.slice(0, -STATE_SUFFIX.length))
      .filter((name) => sessionNameProblem(name) === undefined)
      .sort();
  }

  /** One session as the dashboard shows it, or undefined once it is gone or long stopped. */
  private async observe(name: string): Promise<SessionSnapshot | undefined> {
    const paths = sessionPaths(this.options.home, name);
    const modifiedAt = modifiedAtMs(paths.state);
    if (modifiedAt === undefined) return undefined;

    const read = readStateFile(paths.state);
    if (!read.ok && read.missing) return undefined;

    const state = read.ok ? read.state : undefined;
    const mayAnswer = state ? mayAnswerStatus(state, paths.token) : existsSync(paths.token);
    const status = mayAnswer ? await this.askStatus(paths.socket, paths.token) : undefined;
    const session = mergeSession(name, state, status, read.ok ? null : read.problem);

    const fresh = Date.now() - modifiedAt <= (this.options.retentionMs ?? 10 * 60_000);
    return fresh || status?.ok || mayStillRun(state) ? session : undefined;
  }

  /** `status` over the session socket; a failure says why instead of throwing. */
  private async askStatus(socket: string, tokenFile: string): Promise<StatusOutcome> {
    let token: string;
    try {
      token = readTokenFile(tokenFile);
    } catch (error) {
      return { ok: false, problem: `cannot read the session token (${errorMessage(error)})` };
    }

    try {
      const timeoutMs = this.options.statusTimeoutMs ?? 1000;
      const response = await sendRequest(socket, token, 'status', {}, { timeoutMs });
      if (!response.success) return { ok: false, problem: `status refused: ${response.error}` };
      return { ok: true, data: response.data as StatusData };
    } catch (error) {
      return { ok: false, problem: `no answer on the session socket (${errorMessage(error)})` };
    }
  }

  /**
   * Emits when anything but the clocks changed, and at least every heartbeat. The idle
   * countdown and a recording's elapsed time move every second: clients tick them
   * between snapshots and re-sync at each one, so they alone are no reason to push.
   */
  private publish(sessions: SessionSnapshot[]): void {
    const snapshot: DashboardSnapshot = { taken_at: Date.now(), home: this.options.home, sessions };
    const heartbeatMs = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const heartbeatDue = snapshot.taken_at - this.lastEmitAt >= heartbeatMs;
    const previous = this.lastEmitted;
    this.latest = snapshot;
    if (previous && !heartbeatDue && !changedBeyondClocks(previous, snapshot)) return;

    this.lastEmitted = snapshot;
    this.lastEmitAt = snapshot.taken_at;
    for (const listener of [...this.listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        this.options.log.error({ err: error }, 'SessionMonitor#publish - a listener threw');
      }
    }
  }
}

/** Clients count an idle deadline that moved less than this as the same one. */
const IDLE_DEADLINE_SLACK_S = 2;

/** Long enough to spare idle pushes; short enough that a client notices a lost link. */
const DEFAULT_HEARTBEAT_MS = 5000;

/**
 * Whether `next` differs from `previous` in anything but the ticking clocks. An idle
 * deadline (snapshot time plus seconds left) that moved by more than a rounding error
 * counts: a command restarted the timer.
 */
function changedBeyondClocks(previous: DashboardSnapshot, next: DashboardSnapshot): boolean {
  if (withoutClocks(previous.sessions) !== withoutClocks(next.sessions)) return true;
  return next.sessions.some((session, index) => {
    const before = idleDeadlineS(previous, previous.sessions[index]);
    const after = idleDeadlineS(next, session);
    if (before === null || after === null) return before !== after;
    return Math.abs(after - before) > IDLE_DEADLINE_SLACK_S;
  });
}

function withoutClocks(sessions: SessionSnapshot[]): string {
  return JSON.stringify(
    sessions.map((session) => ({
      ...session,
      idle_seconds_left: session.idle_seconds_left === null ? null : 'ticking',
      recording: session.recording && {
        ...session.recording,
        elapsed_s: 'ticking',
        frames: 'ticking',
        size_bytes: 'ticking',
      },
    })),
  );
}

function idleDeadlineS(
  snapshot: DashboardSnapshot,
  session: SessionSnapshot | undefined,
): number | null {
  if (session === undefined || session.idle_seconds_left === null) return null;
  return snapshot.taken_at / 1000 + session.idle_seconds_left;
}

type StatusOutcome = { ok: true; data: StatusData } | { ok: false; problem: string };

/**
 * Live phases answer `status`; so does a `failed` session whose daemon is still up (a
 * failed browser start leaves the daemon serving). The token file goes away with the daemon.
 */
function mayAnswerStatus(state: SessionStateFile, tokenFile: string): boolean {
  if (isLivePhase(state.phase)) return true;
  return state.phase === 'failed' && existsSync(tokenFile);
}

function mergeSession(
  name: string,
  state: SessionStateFile | undefined,
  status: StatusOutcome | undefined,
  readProblem: string | null,
): SessionSnapshot {
  const base = fromStateFile(name, state, readProblem);
  if (status?.ok) return fromStatus(base, status.data);
  if (state && state.phase !== 'stopped' && !processExists(state.pid)) return gone(base, state);
  if (status !== undefined) return unanswered(base, status.problem);
  return base;
}

function fromStatus(base: SessionSnapshot, data: StatusData): SessionSnapshot {
  return {
    ...base,
    pid: data.pid,
    phase: data.phase,
    // It answers, so it is neither unreadable nor gone, whatever its file says.
    unreadable: false,
    config: data.config,
    idle_timeout_s: data.idle_timeout_s,
    idle_seconds_left: data.idle_seconds_left,
    keep_open: data.keep_open,
    recording: data.recording,
    url: data.url,
    title: data.title,
  };
}

function fromStateFile(
  name: string,
  state: SessionStateFile | undefined,
  readProblem: string | null,
): SessionSnapshot {
  const reason = readProblem === null ? null : unreadableReason(readProblem);
  return {
    name,
    host: state?.host ?? 'unknown',
    pid: state?.pid ?? null,
    // A session whose file cannot be read has no phase to show; `unreadable` says so.
    phase: state?.phase ?? 'failed',
    unresponsive: false,
    gone: false,
    unreadable: state === undefined,
    config: state?.config ?? null,
    idle_timeout_s: state?.idle_timeout_s ?? null,
    idle_seconds_left: null,
    keep_open: state?.keep_open ?? false,
    recording: state?.recording ?? null,
    url: null,
    title: null,
    updated_at: state?.updated_at ?? 0,
    problem: state?.phase === 'failed' ? (state.error ?? reason) : reason,
    ended_because: state?.stopped_by_itself ? (state.stop_reason ?? null) : null,
  };
}

/**
 * The state file says the session is on its way, but its process is gone: it crashed or
 * was killed before it could write `stopped`. Whatever recording the file mentions ended
 * with it, and no socket will ever answer.
 */
function gone(base: SessionSnapshot, state: SessionStateFile): SessionSnapshot {
  const why = `its process ${state.pid} is gone`;
  return {
    ...base,
    gone: true,
    unresponsive: isLivePhase(state.phase),
    recording: null,
    problem: base.problem ? `${base.problem}; ${why}` : why,
  };
}

/** The state file says live, the process is there, but nobody answers: it hangs. */
function unanswered(base: SessionSnapshot, problem: string): SessionSnapshot {
  return {
    ...base,
    unresponsive: true,
    problem: base.problem ? `${base.problem}; ${problem}` : problem,
  };
}

/**
 * Why a state file cannot be used, in words for the dashboard. The reader reports an
 * I/O failure as the error's text (`Error: EISDIR: illegal operation…`); its code is all
 * a person needs from it.
 */
export function unreadableReason(problem: string): string {
  if (problem === 'state file is not valid JSON') return 'its state file is damaged (not JSON)';
  if (problem === 'state file is not an object') return 'its state file is damaged';
  if (problem === 'state file lacks phase or pid') {
    return 'its state file lacks the phase or the process id';
  }
  const schema = /^unknown state schema (.+)$/.exec(problem)?.[1];
  if (schema !== undefined) {
    return `its state file is from another version of Browser Tray (schema ${schema})`;
  }

  const code = /\b(E[A-Z]{2,})\b/.exec(problem)?.[1];
  if (code === 'EISDIR') return 'its state file is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'no permission to read its state file';
  return code ? `its state file cannot be read (${code})` : 'its state file cannot be read';
}

/** A live state whose process still exists: shown however old, even when it hangs. */
function mayStillRun(state: SessionStateFile | undefined): boolean {
  return state !== undefined && isLivePhase(state.phase) && processExists(state.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function modifiedAtMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch (error) {
    // Gone between the listing and now: the session was just cleaned up. Any other
    // failure shows up again when the file is read, with its reason.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : Date.now();
  }
}
