import { join } from 'node:path';
import type { ActionResult, DashboardBridge } from '../../shared/bridge';
import { errorMessage } from '../../shared/errors';
import { isLivePhase } from '../../shared/phases';
import { sessionNameProblem } from '../../shared/session-name';
import { readTokenFile } from '../daemon/auth-token';
import type { Logger } from '../daemon/logger';
import { sessionPaths } from '../daemon/paths';
import { sendRequest } from '../daemon/socket-client';
import { releaseUnusedRecordingFile, reserveRecordingFile } from './recording-file';
import type { SessionMonitor } from './session-monitor';

export interface MonitorBridgeOptions {
  home: string;
  monitor: SessionMonitor;
  /**
   * Starts a session named `name` and resolves once it answers on its socket. The tray
   * hosts it in-process; `btray dashboard` spawns a headless daemon.
   */
  newSession: (name: string) => Promise<void>;
  /** Where dashboard recordings go; defaults to `<home>/recordings`. */
  recordingsDir?: string;
  /** The clock recording file names are made from; tests pin it. */
  now?: () => Date;
  /** `record stop` waits for the MP4 to be finished, which may take a few seconds. */
  requestTimeoutMs?: number;
  log: Logger;
}

/**
 * The dashboard bridge over the monitor and the session sockets, for any process that
 * can reach the home folder: the web dashboard server, and the tray's IPC handlers.
 * Every action answers `{ok, error}` and never throws.
 */
export function createMonitorBridge(options: MonitorBridgeOptions): DashboardBridge {
  const { monitor, log } = options;

  const act = async (
    name: string,
    what: string,
    run: () => Promise<void>,
  ): Promise<ActionResult> => {
    try {
      await run();
      log.info({ session: name }, `MonitorBridge - ${what}`);
      return { ok: true };
    } catch (error) {
      log.warn({ session: name, err: error }, `MonitorBridge - ${what} failed`);
      return { ok: false, error: errorMessage(error) };
    } finally {
      // The state file may lag behind; a fresh scan shows the outcome without waiting.
      monitor
        .refresh()
        .catch((error: unknown) => log.debug({ err: error }, 'MonitorBridge - refresh failed'));
    }
  };

  const send = (name: string, action: string, params: Record<string, unknown> = {}) =>
    request(options, name, action, params);

  return {
    subscribe: (listener) => monitor.subscribe(listener),
    stopSession: (name) => act(name, 'stop session', () => send(name, 'shutdown')),
    startRecording: (name) => act(name, 'start recording', () => startRecording(options, name)),
    stopRecording: (name) =>
      act(name, 'stop recording', () => send(name, 'record', { record_command: 'stop' })),
    setKeepOpen: (name, on) =>
      act(name, on ? 'keep open on' : 'keep open off', () => send(name, 'keep_open', { on })),
    newSession: (name) => act(name, 'new session', () => startSession(options, name)),
  };
}

/** Sends one action to a session and turns a refusal into an error that says why. */
async function request(
  options: MonitorBridgeOptions,
  name: string,
  action: string,
  params: Record<string, unknown>,
): Promise<void> {
  const paths = sessionPaths(options.home, name);
  let token: string;
  try {
    token = readTokenFile(paths.token);
  } catch (error) {
    throw new Error(`session ${name} is not running (it has no token file)`, { cause: error });
  }

  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const response = await sendRequest(paths.socket, token, action, params, { timeoutMs });
  if (!response.success) throw new Error(response.error);
}

async function startSession(options: MonitorBridgeOptions, name: string): Promise<void> {
  const problem = sessionNameProblem(name);
  if (problem) throw new Error(problem);

  const known = options.monitor.current()?.sessions.find((session) => session.name === name);
  if (known && isLivePhase(known.phase) && !known.unresponsive) {
    throw new Error(`session ${name} is already running`);
  }
  await options.newSession(name);
}

/**
 * The dashboard names the file itself, in its recordings folder: whoever holds the
 * dashboard URL can record, but cannot choose where a file is written or overwrite one.
 */
async function startRecording(options: MonitorBridgeOptions, name: string): Promise<void> {
  const folder = options.recordingsDir ?? join(options.home, 'recordings');
  const path = reserveRecordingFile(folder, name, options.now?.() ?? new Date());
  try {
    await request(options, name, 'record', { record_command: 'start', path });
  } catch (error) {
    releaseUnusedRecordingFile(path, options.log);
    throw error;
  }
}
