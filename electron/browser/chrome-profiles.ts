import { closeSync, existsSync, openSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { errorMessage, TrayError } from '../../shared/errors';

/** An installed browser's user-data folder and the executables that belong to it. */
export interface UserDataLocation {
  dir: string;
  /** Executable names to prefer on PATH, so Chrome's profile opens in Chrome. */
  executables: string[];
}

/** One profile of a user-data folder, as Chrome's profile picker shows it. */
export interface ChromeProfile {
  /** The folder inside the user-data folder: `Default`, `Profile 1`. */
  directory: string;
  /** The name people see in Chrome. */
  displayName: string;
}

/** What `--profile NAME` launches: a real user-data folder and one profile in it. */
export interface ResolvedProfile extends ChromeProfile {
  userDataDir: string;
  executables: string[];
}

/**
 * The user-data folders to look in: `BROWSER_TRAY_CHROME_USER_DATA` alone when set (tests,
 * portable installs), else Google Chrome's and then Chromium's usual folder on this OS.
 */
export function userDataLocations(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): UserDataLocation[] {
  const override = env.BROWSER_TRAY_CHROME_USER_DATA;
  if (override) return [{ dir: override, executables: [] }];

  const home = homedir();
  const chrome = ['google-chrome-stable', 'google-chrome'];
  const chromium = ['chromium', 'chromium-browser'];
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support');
    return [
      { dir: join(support, 'Google', 'Chrome'), executables: chrome },
      { dir: join(support, 'Chromium'), executables: chromium },
    ];
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return [
      { dir: join(local, 'Google', 'Chrome', 'User Data'), executables: chrome },
      { dir: join(local, 'Chromium', 'User Data'), executables: chromium },
    ];
  }
  const config = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [
    { dir: join(config, 'google-chrome'), executables: chrome },
    { dir: join(config, 'chromium'), executables: chromium },
  ];
}

/**
 * The profiles of a user-data folder, from `Local State` (`profile.info_cache` maps
 * folder names to display names), keeping only folders that exist.
 */
export function listProfiles(userDataDir: string): ChromeProfile[] {
  const localState = join(userDataDir, 'Local State');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(localState, 'utf8'));
  } catch (error) {
    throw new TrayError(
      'PROFILE_NOT_FOUND',
      `Cannot read the Chrome profile list ${localState}: ${errorMessage(error)}`,
    );
  }

  const cache = (parsed as { profile?: { info_cache?: unknown } }).profile?.info_cache;
  if (typeof cache !== 'object' || cache === null) return [];
  return Object.entries(cache as Record<string, { name?: unknown }>)
    .filter(([directory]) => existsSync(join(userDataDir, directory)))
    .map(([directory, info]) => ({
      directory,
      displayName: typeof info?.name === 'string' ? info.name : directory,
    }))
    .sort((a, b) => a.directory.localeCompare(b.directory, 'en', { numeric: true }));
}

/**
 * Resolves `--profile NAME` (a folder name such as `Profile 1`, or a display name, the
 * latter also ignoring case) and checks at once that no running Chrome holds the
 * folder, which would otherwise swallow our launch or fail it slowly.
 */
export function resolveProfile(name: string, env: NodeJS.ProcessEnv): ResolvedProfile {
  const locations = userDataLocations(env);
  const location = locations.find((candidate) => existsSync(join(candidate.dir, 'Local State')));
  if (!location) {
    throw new TrayError(
      'PROFILE_NOT_FOUND',
      `--profile ${name}: no Chrome user data found (looked in ` +
        `${locations.map((l) => l.dir).join(', ')}). Is Chrome installed and has it run ` +
        'once? BROWSER_TRAY_CHROME_USER_DATA names another folder.',
    );
  }

  const profiles = listProfiles(location.dir);
  const profile = pickProfile(name, profiles, location.dir);
  checkNotInUse(location.dir, profile);
  return { ...profile, userDataDir: location.dir, executables: location.executables };
}

function pickProfile(name: string, profiles: ChromeProfile[], dir: string): ChromeProfile {
  const byFolder = profiles.find((profile) => profile.directory === name);
  if (byFolder) return byFolder;

  const exact = profiles.filter((profile) => profile.displayName === name);
  const folded = profiles.filter(
    (profile) => profile.displayName.toLowerCase() === name.toLowerCase(),
  );
  const matches = exact.length > 0 ? exact : folded;
  if (matches.length === 1 && matches[0]) return matches[0];

  const listed = profiles.map((profile) => `${profile.directory} ("${profile.displayName}")`);
  if (matches.length > 1) {
    throw new TrayError(
      'PROFILE_NOT_FOUND',
      `--profile ${name}: several profiles have that name: ` +
        `${matches.map((m) => m.directory).join(', ')}; give the folder name instead`,
    );
  }
  throw new TrayError(
    'PROFILE_NOT_FOUND',
    `--profile ${name}: no such Chrome profile in ${dir}. ` +
      `Profiles there: ${listed.length > 0 ? listed.join(', ') : 'none'}`,
  );
}

/**
 * Chrome marks a user-data folder in use with a `SingletonLock` symlink to
 * `HOSTNAME-PID` (Linux, macOS), or by holding `lockfile` open (Windows).
 */
function checkNotInUse(dir: string, profile: ChromeProfile): void {
  const owner = lockOwner(dir);
  if (!owner) return;
  throw new TrayError(
    'PROFILE_IN_USE',
    `Chrome profile "${profile.displayName}" (${profile.directory}) is in use by a running ` +
      'Chrome ' +
      `(${owner}; user data ${dir}). Quit that Chrome first, or attach to it instead: turn on ` +
      'remote debugging in it and run `btray connect`.',
  );
}

function lockOwner(dir: string): string | null {
  if (process.platform === 'win32') return windowsLockHeld(dir) ? 'lockfile held' : null;

  let target: string;
  try {
    target = readlinkSync(join(dir, 'SingletonLock'));
  } catch {
    return null;
  }
  const dash = target.lastIndexOf('-');
  const host = target.slice(0, dash);
  const pid = Number(target.slice(dash + 1));
  if (dash <= 0 || !Number.isInteger(pid)) return `lock ${target}`;
  // A lock from another machine (a shared home folder) cannot be checked: Chrome honours it too.
  if (host !== hostname()) return `pid ${pid} on ${host}`;
  return pidAlive(pid) ? `pid ${pid}` : null;
}

/** EPERM means the process exists but belongs to someone else. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function windowsLockHeld(dir: string): boolean {
  const lockfile = join(dir, 'lockfile');
  if (!existsSync(lockfile) || !statSync(lockfile).isFile()) return false;
  try {
    closeSync(openSync(lockfile, 'r+'));
    return false;
  } catch {
    // Chrome holds it open without sharing: opening fails only while Chrome runs.
    return true;
  }
}
