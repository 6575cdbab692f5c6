import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESSENTIAL_CHROMIUM_FLAGS } from '../../electron/browser/chrome-launcher';
import { processAlive } from '../../electron/daemon/process-alive';
import { waitUntil } from './processes';

/** A Chromium the test started itself, as a user's own browser with remote debugging on. */
export interface DebuggableChromium {
  pid: number;
  port: number;
  wsEndpoint: string;
  /** Its user-data folder, where it writes `DevToolsActivePort`. */
  userDataDir: string;
  /** SIGKILLs its process group, waits for it to go, and removes its folder. */
  kill(): Promise<void>;
}

const DEVTOOLS_LINE = /DevTools listening on (ws:\/\/127\.0\.0\.1:(\d+)\/\S+)/;

/** Starts headless Chromium with `--remote-debugging-port=0` and reads its port from stderr. */
export async function startDebuggableChromium(): Promise<DebuggableChromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'btray-attach-'));
  // Its singleton folder inside the profile, so that kill() leaves nothing in /tmp.
  const tempDir = join(userDataDir, 'tmp');
  mkdirSync(tempDir);
  const child: ChildProcess = spawn(
    process.env.BROWSER_TRAY_CHROME ?? '/usr/bin/chromium',
    [
      '--headless=new',
      ...ESSENTIAL_CHROMIUM_FLAGS,
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // Its own process group, so kill() reaches the helpers it forks, and only those.
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: tempDir },
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('chromium did not spawn');

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools line:\n${seen}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = DEVTOOLS_LINE.exec(seen);
      if (!found) return;
      clearTimeout(timer);
      resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${seen}`)));
  });
  // Keep draining stderr so a chatty browser never blocks on a full pipe.
  child.stderr?.resume();

  const kill = async (): Promise<void> => {
    if (processAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await waitUntil(() => !processAlive(pid), 10_000);
    }
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { pid, port: Number(match[2]), wsEndpoint: match[1] as string, userDataDir, kill };
}
