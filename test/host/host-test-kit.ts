import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { onTestFinished } from 'vitest';
import { readTokenFile } from '../../electron/daemon/auth-token';
import { sessionPaths } from '../../electron/daemon/paths';
import { sendRequest } from '../../electron/daemon/socket-client';
import { readStateFile } from '../../electron/daemon/state-file';
import type { SessionHost } from '../../electron/host/session-host';
import type { Phase } from '../../shared/phases';
import type { Response } from '../../shared/protocol';
import { startDebuggableChromium } from '../helpers/debuggable-chromium';

/** Helpers the session host, control socket and quit tests share. */

export const DAEMON_BUNDLE = join(__dirname, '..', '..', 'dist', 'daemon.cjs');

/** A fresh home folder per test; its path is short enough for Unix socket names. */
export function makeHome(label: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `btray-${label}-`)));
}

/** The environment hosted daemons get: the system Chromium, nothing of the caller's home. */
export function daemonEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BROWSER_TRAY_HOME: home,
    BROWSER_TRAY_CHROME: '/usr/bin/chromium',
    BROWSER_TRAY_LOG_LEVEL: 'debug',
  };
}

/** One request to a session, with the token from its token file. */
export function askSession(
  home: string,
  name: string,
  action: string,
  params: Record<string, unknown> = {},
): Promise<Response> {
  const paths = sessionPaths(home, name);
  return sendRequest(paths.socket, readTokenFile(paths.token), action, params, {
    timeoutMs: 30_000,
  });
}

export function statePhase(home: string, name: string): Phase | undefined {
  const read = readStateFile(sessionPaths(home, name).state);
  return read.ok ? read.state.phase : undefined;
}

/** Polls until `test` holds, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, test: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

export { processAlive } from '../../electron/daemon/process-alive';

/**
 * Hosts `name` attached to a Chromium of the test's own with a page open, then freezes
 * that Chromium (SIGSTOP to its group): closing the session now hangs on the browser, as
 * with one that stopped answering, until the session's close budget gives up. The
 * frozen browser is killed when the test ends, passed or failed.
 */
export async function hostFrozenBrowser(
  host: SessionHost,
  home: string,
  name: string,
): Promise<void> {
  const chromium = await startDebuggableChromium();
  onTestFinished(() => chromium.kill());
  await host.create(name, { cdpUrl: chromium.wsEndpoint });
  const opened = await askSession(home, name, 'open', { url: 'data:text/html,<p>frozen</p>' });
  if (!opened.success) throw new Error(`open failed: ${opened.error}`);

  process.kill(-chromium.pid, 'SIGSTOP');
}

/** A headless daemon process of our own (not detached): the test ends it. */
export async function startHeadlessDaemon(home: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DAEMON_BUNDLE, '--session', name], {
    env: daemonEnv(home),
    stdio: 'ignore',
  });
  await waitFor(`headless ${name} ready`, () => statePhase(home, name) === 'ready');
  return child;
}

/** Waits for a child we started to exit, killing it if it takes longer than `timeoutMs`. */
export async function waitForExit(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
