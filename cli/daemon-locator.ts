import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { askTrayHost } from '../electron/daemon/host-control-client';
import { ensureHome, type SessionPaths, sessionPaths } from '../electron/daemon/paths';
import { processAlive } from '../electron/daemon/process-alive';
import { ConnectionError, sendRequest } from '../electron/daemon/socket-client';
import { readStateFile } from '../electron/daemon/state-file';
import { readTokenFile } from '../electron/daemon/token-file';
import { isLivePhase } from '../shared/phases';
import type { PingData, Response, StatusData } from '../shared/protocol';
import type { SessionStateFile } from '../shared/state-file';
import { CliError } from './exit-codes';
import type { GlobalOptions } from './globals';
import { printNotice } from './output';

/** A session that answers: where it listens and the token to use. */
export interface LiveSession {
  paths: SessionPaths;
  token: string;
  ping: PingData;
}

const PING_TIMEOUT_MS = 2000;
const START_DEADLINE_MS = 30_000;
const POLL_MS = 15;

/** What pinging a session found. */
export type PingOutcome =
  | { kind: 'live'; session: LiveSession }
  | { kind: 'absent' }
  /** Something answers on the socket but refuses the token in the token file. */
  | { kind: 'refused' };

/** Pings the session with the token from its token file. */
export async function probeSession(paths: SessionPaths): Promise<PingOutcome> {
  let token: string;
  try {
    token = readTokenFile(paths.token);
  } catch {
    return { kind: 'absent' };
  }

  let response: Response;
  try {
    response = await sendRequest(paths.socket, token, 'ping', {}, { timeoutMs: PING_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof ConnectionError) return { kind: 'absent' };
    throw error;
  }
  if (response.success)
    return { kind: 'live', session: { paths, token, ping: response.data as PingData } };
  return response.code === 'UNAUTHORIZED' ? { kind: 'refused' } : { kind: 'absent' };
}

/** Pings the session with its token; undefined when nothing live accepts it. */
export async function pingSession(paths: SessionPaths): Promise<LiveSession | undefined> {
  const outcome = await probeSession(paths);
  return outcome.kind === 'live' ? outcome.session : undefined;
}

/**
 * Finds the session's live daemon, or starts one: waits for a daemon that is booting,
 * refuses one whose explicitly requested configuration differs, and otherwise spawns a
 * detached headless daemon and waits for it to answer.
 */
export async function connectSession(
  globals: GlobalOptions,
  options: { start: boolean },
): Promise<LiveSession> {
  ensureHome(globals.home);
  const paths = sessionPaths(globals.home, globals.session);
  const deadline = Date.now() + START_DEADLINE_MS;
  let spawnedPid: number | undefined;
  let spawned = false;
  let refusals = 0;

  for (;;) {
    const outcome = await probeSession(paths);
    if (outcome.kind === 'live') {
      if (await replacedFailedSession(outcome.session, globals)) continue;
      await refuseMismatch(outcome.session, globals);
      return outcome.session;
    }
    // A daemon being replaced may refuse a token read a moment too early: once is chance.
    if (outcome.kind === 'refused' && ++refusals >= 2) throw tokenRefused(paths);

    const booting = bootingPid(paths);
    if (booting === undefined && !options.start) throw notRunning(paths, globals);
    if (booting === undefined && !spawned) {
      noteEndedByItself(paths, globals.session);
      spawnedPid = await startDaemon(globals);
      spawned = true;
    }
    const failure = spawnFailure(paths, globals, spawnedPid);
    if (failure) throw failure;
    if (Date.now() > deadline) throw startFailure(paths, globals, booting);
    await sleep(POLL_MS);
  }
}

/** The state of a session whose daemon is alive but past answering: it is shutting down. */
export function shuttingDownState(paths: SessionPaths): SessionStateFile | undefined {
  const read = readStateFile(paths.state);
  if (!read.ok || read.state.phase !== 'shutting_down' || !processAlive(read.state.pid)) {
    return undefined;
  }
  return read.state;
}

/**
 * Why a command that must not start a session finds none to answer it: a session still
 * shutting down (finishing a recording can take a while) has closed its socket, but its
 * state file says what it is doing.
 */
function notRunning(paths: SessionPaths, globals: GlobalOptions): CliError {
  const state = shuttingDownState(paths);
  if (state) {
    const finishing = state.recording?.active
      ? `: finishing its recording ${state.recording.path}`
      : '';
    return new CliError(
      `Session "${globals.session}" is shutting down${finishing}.`,
      1,
      `Wait for it with: btray --session ${globals.session} close`,
    );
  }
  return new CliError(
    `Session "${globals.session}" is not running.`,
    1,
    `Start it with: btray --session ${globals.session} open <url>`,
  );
}

/**
 * A session that ended by itself (idle timeout, its browser gone) took its pages with it:
 * say so before a command starts a fresh one, so a blank page comes as no surprise.
 */
function noteEndedByItself(paths: SessionPaths, session: string): void {
  const read = readStateFile(paths.state);
  if (!read.ok) return;
  const { phase, pid } = read.state;
  if (isLivePhase(phase) && !processAlive(pid)) {
    printNotice(
      `session "${session}" had ended without stopping (its daemon, pid ${pid}, was killed ` +
        'or crashed); starting a new one.',
    );
    return;
  }
  if (phase !== 'stopped' || read.state.stopped_by_itself !== true) return;
  const reason = read.state.stop_reason ?? 'no reason recorded';
  printNotice(`session "${session}" had ended by itself (${reason}); starting a new one.`);
}

/**
 * The daemon we spawned exited and its state file says why: report it at once instead
 * of waiting out the start deadline. (A daemon that lost the race to another one exits
 * too, but then the state file is the winner's, and we keep waiting for the winner.)
 */
function spawnFailure(
  paths: SessionPaths,
  globals: GlobalOptions,
  pid: number | undefined,
): CliError | undefined {
  if (pid === undefined || processAlive(pid) || bootingPid(paths) !== undefined) return undefined;
  const read = readStateFile(paths.state);
  if (read.ok && read.state.pid !== pid && read.state.phase !== 'failed') return undefined;
  const reason =
    read.ok && read.state.pid === pid && read.state.error ? `: ${read.state.error}` : '';
  return new CliError(
    `The daemon of session "${globals.session}" did not start${reason}.`,
    1,
    `See ${paths.log}`,
  );
}

/** A daemon answers on the session's socket but not to the token we hold. */
export function tokenRefused(paths: SessionPaths): CliError {
  const read = readStateFile(paths.state);
  const owner = read.ok ? ` (pid ${read.state.pid})` : '';
  return new CliError(
    `Session "${paths.name}" answers but refuses the token in ${paths.token}: the token did not match.`,
    1,
    `The file was changed, or belongs to another daemon. Stop the daemon${owner} with: ` +
      `kill ${read.ok ? read.state.pid : '<pid>'}`,
  );
}

/**
 * A session whose browser failed to start has nothing to lose: when the user asks for
 * another configuration (a corrected --cdp-url, another --profile), it is closed and
 * started afresh instead of being refused.
 */
async function replacedFailedSession(live: LiveSession, globals: GlobalOptions): Promise<boolean> {
  const explicit =
    globals.headed !== undefined || globals.profile !== undefined || globals.cdpUrl !== undefined;
  if (!explicit) return false;
  const status = await sendRequest(
    live.paths.socket,
    live.token,
    'status',
    {},
    { timeoutMs: PING_TIMEOUT_MS },
  );
  if (!status.success || (status.data as StatusData).phase !== 'failed') return false;
  if (
    !configDiffers(
      (status.data as StatusData).config as unknown as Record<string, unknown>,
      globals,
    )
  )
    return false;

  await sendRequest(live.paths.socket, live.token, 'shutdown', {}, { timeoutMs: PING_TIMEOUT_MS });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const read = readStateFile(live.paths.state);
    if (!read.ok || read.state.phase === 'stopped' || !processAlive(read.state.pid)) return true;
    await sleep(POLL_MS);
  }
  return true;
}

function configDiffers(config: Record<string, unknown>, globals: GlobalOptions): boolean {
  return requestedConfig(globals).some(([field, value]) => config[field] !== value);
}

/** The configuration fields the user asked for explicitly, with the flag that asked. */
function requestedConfig(globals: GlobalOptions): Array<[string, unknown, string]> {
  const wanted: Array<[string, unknown, string]> = [];
  if (globals.headed !== undefined)
    wanted.push(['headed', globals.headed, globals.headed ? '--headed' : 'headless']);
  if (globals.profile !== undefined)
    wanted.push(['profile', globals.profile, `--profile ${globals.profile}`]);
  if (globals.cdpUrl !== undefined)
    wanted.push(['cdp_url', globals.cdpUrl, `--cdp-url ${globals.cdpUrl}`]);
  return wanted;
}

/** The PID of a daemon that is alive but not answering yet (start-up), if any. */
function bootingPid(paths: SessionPaths): number | undefined {
  const read = readStateFile(paths.state);
  if (read.ok && isLivePhase(read.state.phase) && processAlive(read.state.pid))
    return read.state.pid;
  // Between claiming the session and writing its first state, only the claim says so.
  const claimant = claimPid(paths);
  return claimant !== undefined && processAlive(claimant) ? claimant : undefined;
}

function claimPid(paths: SessionPaths): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(paths.claim, 'utf8'), 10);
    return Number.isNaN(pid) ? undefined : pid;
  } catch {
    return undefined;
  }
}

/**
 * A running tray hosts the session in its own process; otherwise a headless daemon does.
 * Returns the headless daemon's PID.
 */
async function startDaemon(globals: GlobalOptions): Promise<number | undefined> {
  const answer = await askTrayHost(globals.home, {
    session: globals.session,
    headed: globals.headed ?? false,
    profile: globals.profile ?? null,
    cdpUrl: globals.cdpUrl ?? null,
    idleTimeoutS: globals.idleTimeoutS ?? null,
  });
  if (answer === 'created') return undefined;
  if (answer !== 'no-host')
    throw new CliError(
      `The tray app refused to start session "${globals.session}": ${answer.error}`,
    );
  return spawnHeadlessDaemon(globals);
}

function spawnHeadlessDaemon(globals: GlobalOptions): number | undefined {
  const bundle = join(__dirname, 'daemon.cjs');
  if (!existsSync(bundle))
    throw new CliError(`The daemon bundle ${bundle} is missing; run \`npm run build\`.`);

  // The CLI starts a daemon only for a browser command: Chromium can start at once. Values
  // go as --name=value: a session or profile named "-x" must not read as an option.
  const args = [bundle, `--session=${globals.session}`, '--launch-browser'];
  if (globals.headed) args.push('--headed');
  if (globals.profile) args.push(`--profile=${globals.profile}`);
  if (globals.cdpUrl) args.push(`--cdp-url=${globals.cdpUrl}`);
  if (globals.idleTimeoutS !== undefined) args.push(`--idle-timeout=${globals.idleTimeoutS}`);

  // Detached, in its own process group and with no pipes to us: the daemon outlives this CLI.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  child.unref();
  return child.pid;
}

function startFailure(
  paths: SessionPaths,
  globals: GlobalOptions,
  booting: number | undefined,
): CliError {
  const read = readStateFile(paths.state);
  const reason = read.ok && read.state.error ? `: ${read.state.error}` : '';
  if (booting !== undefined) {
    return new CliError(
      `The daemon of session "${globals.session}" (pid ${booting}) is alive but does not answer${reason}.`,
      1,
      `See ${paths.log}; stop it with: kill ${booting}`,
    );
  }
  return new CliError(
    `The daemon of session "${globals.session}" did not start${reason}.`,
    1,
    `See ${paths.log}`,
  );
}

/** A running session keeps its configuration: asking for another one is an error. */
async function refuseMismatch(live: LiveSession, globals: GlobalOptions): Promise<void> {
  const wanted = requestedConfig(globals);
  if (wanted.length === 0 && globals.idleTimeoutS === undefined) return;

  const status = await sendRequest(
    live.paths.socket,
    live.token,
    'status',
    {},
    { timeoutMs: PING_TIMEOUT_MS },
  );
  if (!status.success) return;
  const config = (status.data as StatusData).config as unknown as Record<string, unknown>;
  for (const [field, value, flag] of wanted) {
    if (config[field] === value) continue;
    throw new CliError(
      `Session "${globals.session}" is already running with ${field}=${JSON.stringify(config[field])}, not ${flag}.`,
      1,
      `Close it first: btray --session ${globals.session} close`,
    );
  }
  const idleTimeoutS = (status.data as StatusData).idle_timeout_s;
  if (globals.idleTimeoutS !== undefined && globals.idleTimeoutS !== idleTimeoutS) {
    throw new CliError(
      `Session "${globals.session}" is already running with an idle timeout of ${idleTimeoutS} s, ` +
        `not --idle-timeout ${globals.idleTimeoutS}.`,
      1,
      `Close it first: btray --session ${globals.session} close`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
