import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BTRAY = join(__dirname, '..', '..', 'dist', 'btray.cjs');
export const DAEMON = join(__dirname, '..', '..', 'dist', 'daemon.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `btray` CLI with a given home folder (and working folder) and waits for it. */
export function btray(
  home: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = process.cwd(),
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BTRAY, ...args], {
      cwd,
      env: { ...process.env, BROWSER_TRAY_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a headless daemon process in the foreground (not detached); the test owns it. */
export function startDaemonProcess(
  home: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  return spawn(process.execPath, [DAEMON, ...args], {
    env: { ...process.env, BROWSER_TRAY_HOME: home, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Closes every session of a home folder, so a suite leaves nothing running. */
export function closeAll(home: string): void {
  spawnSync(process.execPath, [BTRAY, 'close', '--all'], {
    env: { ...process.env, BROWSER_TRAY_HOME: home },
    timeout: 60_000,
  });
}
