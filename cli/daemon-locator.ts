import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { askTrayHost } from '../electron/daemon/host-control-client';
import { ensureHome, type SessionPaths, sessionPaths } from '../electron/daemon/paths';
import { processAlive } from '../electron/daemon/process-alive';
import { ConnectionError, sendRequest } from '../electron/daemon/socket-client';
import { readStateFile } from '../electron/daemon/state-file';
import { readTokenFile } from '../electron/daemon/token-file';
import { isLivePhase } from '../shared/phases';
import type { PingData, Response, StatusData } from '../shared/protocol';
import { CliError } from './exit-codes';
import type { GlobalOptions } from './globals';

/** A session that answers: where it listens and the token to use. */
export interface LiveSession {
  paths: SessionPaths;
  token: string;
  ping: PingData;
}

const PING_TIMEOUT_MS = 2000;
const START_DEADLINE_MS = 30_000;
const POLL_MS = 15;

/** Pings the session with its token; undefined when nothing live answers. */
export async function pingSession(paths: SessionPaths): Promise<LiveSession | undefined> {
  let token: string;
  try {
    token = readTokenFile(paths.token);
  } catch {
    return undefined;
  }

  let response: Response;
  try {
    response = await sendRequest(paths.socket, token, 'ping', {}, { timeoutMs: PING_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof ConnectionError) return undefined;
    throw error;
  }
  // A token that does not match belongs to a daemon that is gone or being replaced.
  if (!response.success) return undefined;
  return { paths, token, ping: response.data as PingData };
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
  let spawned = false;

  for (;;) {
    const live = await pingSession(paths);
    if (live) {
      await refuseMismatch(live, globals);
      return live;
    }

    const booting = bootingPid(paths);
    if (booting === undefined && !options.start) {
      throw new CliError(
        `Session "${globals.session}" is not running.`,
        1,
        `Start it with: btray --session ${globals.session} open <url>`,
      );
    }
    if (booting === undefined && !spawned) {
      await startDaemon(globals);
      spawned = true;
    }
    if (Date.now() > deadline) throw startFailure(paths, globals, booting);
    await sleep(POLL_MS);
  }
}

/** The PID of a daemon that is alive but not answering yet (start-up), if any. */
function bootingPid(paths: SessionPaths): number | undefined {
  const read = readStateFile(paths.state);
  if (!read.ok) return undefined;
  const { state } = read;
  return isLivePhase(state.phase) && processAlive(state.pid) ? state.pid : undefined;
}

/** A running tray hosts the session in its own process; otherwise a headless daemon does. */
async function startDaemon(globals: GlobalOptions): Promise<void> {
  const answer = await askTrayHost(globals.home, {
    session: globals.session,
    headed: globals.headed ?? false,
    profile: globals.profile ?? null,
    cdpUrl: globals.cdpUrl ?? null,
    idleTimeoutS: globals.idleTimeoutS ?? null,
  });
  if (answer === 'created') return;
  if (answer !== 'no-host')
    throw new CliError(
      `The tray app refused to start session "${globals.session}": ${answer.error}`,
    );
  spawnHeadlessDaemon(globals);
}

function spawnHeadlessDaemon(globals: GlobalOptions): void {
  const bundle = join(__dirname, 'daemon.cjs');
  if (!existsSync(bundle))
    throw new CliError(`The daemon bundle ${bundle} is missing; run \`npm run build\`.`);

  // The CLI starts a daemon only for a browser command: Chromium can start at once.
  const args = [bundle, '--session', globals.session, '--launch-browser'];
  if (globals.headed) args.push('--headed');
  if (globals.profile) args.push('--profile', globals.profile);
  if (globals.cdpUrl) args.push('--cdp-url', globals.cdpUrl);
  if (globals.idleTimeoutS !== undefined) args.push('--idle-timeout', String(globals.idleTimeoutS));

  // Detached, in its own process group and with no pipes to us: the daemon outlives this CLI.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  child.unref();
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
  const wanted: Array<[string, unknown, string]> = [];
  if (globals.headed !== undefined)
    wanted.push(['headed', globals.headed, globals.headed ? '--headed' : 'headless']);
  if (globals.profile !== undefined)
    wanted.push(['profile', globals.profile, `--profile ${globals.profile}`]);
  if (globals.cdpUrl !== undefined)
    wanted.push(['cdp_url', globals.cdpUrl, `--cdp-url ${globals.cdpUrl}`]);
  if (wanted.length === 0) return;

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
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
