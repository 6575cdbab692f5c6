import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { isLivePhase } from '../../shared/phases';
import { sessionPaths } from '../daemon/paths';
import { readStateFile } from '../daemon/state-file';

export interface SpawnHeadlessDaemonOptions {
  home: string;
  name: string;
  /** The headless daemon bundle, `dist/daemon.cjs`. */
  daemonScript: string;
  /** Extra daemon arguments, e.g. `--idle-timeout 60`. */
  args?: string[];
  env: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/**
 * Starts one headless daemon that outlives us (its own process group, no pipes to us)
 * and resolves with its pid once its state file says its socket is bound. Its output
 * goes to its own log file in the home folder.
 */
export async function spawnHeadlessDaemon(options: SpawnHeadlessDaemonOptions): Promise<number> {
  const paths = sessionPaths(options.home, options.name);
  if (!existsSync(options.daemonScript)) {
    throw new Error(`the daemon bundle ${options.daemonScript} is missing: run npm run build`);
  }

  const child = spawn(
    process.execPath,
    // --session=NAME: a name such as "-x" must not read as an option.
    [options.daemonScript, `--session=${options.name}`, ...(options.args ?? [])],
    {
      env: { ...options.env, BROWSER_TRAY_HOME: options.home },
      stdio: 'ignore',
      detached: true,
      windowsHide: true,
    },
  );
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  child.once('error', (error) => {
    exit = error.message;
  });

  try {
    return await waitUntilReady(paths.state, child.pid, () => exit, options.readyTimeoutMs);
  } catch (error) {
    // A daemon that never got ready is ours to end: nobody else knows it exists.
    if (exit === undefined) child.kill('SIGTERM');
    throw error;
  } finally {
    child.unref();
  }
}

async function waitUntilReady(
  stateFile: string,
  pid: number | undefined,
  exited: () => string | undefined,
  timeoutMs = 15_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const read = readStateFile(stateFile);
    // `initializing` is written before the socket is bound; any later live phase is ready.
    const ready = read.ok && read.state.pid === pid && read.state.phase !== 'initializing';
    if (ready && isLivePhase(read.state.phase) && pid !== undefined) return pid;

    const exit = exited();
    if (exit !== undefined) {
      const why = read.ok && read.state.error ? `: ${read.state.error}` : '';
      throw new Error(`the daemon exited (${exit}) before it was ready${why}; see its log file`);
    }
    await delay(50);
  }
  throw new Error(`the daemon did not get ready within ${timeoutMs} ms; see its log file`);
}
