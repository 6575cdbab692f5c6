import {
  accessSync,
  closeSync,
  constants,
  openSync,
  readSync,
  realpathSync,
  statfsSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { TrayError } from '../../shared/errors';

const PATH_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
  'microsoft-edge',
];

const MAC_PATHS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

function windowsPaths(env: NodeJS.ProcessEnv): string[] {
  const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
    (root): root is string => typeof root === 'string',
  );
  return roots.flatMap((root) => [
    join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
    join(root, 'Chromium', 'Application', 'chrome.exe'),
  ]);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium-family browser: `BROWSER_TRAY_CHROME`, then the usual names on PATH
 * (`preferred` ones first: `--profile` wants the browser that owns the profile), then
 * the usual macOS and Windows install paths.
 */
export function findChrome(env: NodeJS.ProcessEnv, preferred: readonly string[] = []): string {
  const override = env.BROWSER_TRAY_CHROME;
  if (override) {
    if (isExecutable(override)) return override;
    throw new TrayError(
      'CHROME_NOT_FOUND',
      `BROWSER_TRAY_CHROME points to ${override}, which is not an executable file`,
    );
  }

  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
  const suffix = process.platform === 'win32' ? '.exe' : '';
  for (const name of [...preferred, ...PATH_NAMES]) {
    for (const dir of dirs) {
      const candidate = join(dir, name + suffix);
      if (isExecutable(candidate)) return candidate;
    }
  }

  const platformPaths =
    process.platform === 'darwin'
      ? MAC_PATHS
      : process.platform === 'win32'
        ? windowsPaths(env)
        : [];
  const found = platformPaths.find(isExecutable);
  if (found) return found;

  throw new TrayError(
    'CHROME_NOT_FOUND',
    'No Chrome or Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`; ' +
      'macOS: install Google Chrome) or set BROWSER_TRAY_CHROME to its executable.',
  );
}

/**
 * Distribution launcher scripts, and the browser binary each ends by exec'ing. Debian's
 * `/usr/bin/chromium` runs about a dozen commands (uname, grep, find, expr, findmnt…)
 * before Chromium itself: 100 to 300 ms of every cold start on a busy machine.
 */
const LAUNCHER_SCRIPTS: Readonly<Record<string, string>> = {
  '/usr/bin/chromium': '/usr/lib/chromium/chromium',
};

/** What the Debian launcher decides from the size of /dev/shm, below which Chromium crashes. */
const MIN_SHARED_MEMORY_BYTES = 3.8e9;

/** The binary to run and the flags its launcher script would have added. */
export interface DirectBrowser {
  executable: string;
  args: string[];
}

/**
 * The browser binary behind a known launcher script, for a launch with a throwaway
 * profile: the script's other work (API keys for sign-in, system extensions) serves real
 * profiles only. Anything else is returned as is.
 */
export function withoutLauncherScript(executable: string): DirectBrowser {
  const binary = process.platform === 'linux' ? LAUNCHER_SCRIPTS[resolved(executable)] : undefined;
  if (!binary || !isScript(executable) || !isExecutable(binary)) return { executable, args: [] };
  return { executable: binary, args: smallSharedMemory() ? ['--disable-dev-shm-usage'] : [] };
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isScript(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      readSync(fd, head, 0, 2, 0);
      return head.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function smallSharedMemory(): boolean {
  try {
    const stats = statfsSync('/dev/shm');
    return stats.bavail * stats.bsize < MIN_SHARED_MEMORY_BYTES;
  } catch {
    // No /dev/shm at all: Chromium must use the temp folder.
    return true;
  }
}
