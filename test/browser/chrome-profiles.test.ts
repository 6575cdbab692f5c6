import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProfiles, resolveProfile } from '../../electron/browser/chrome-profiles';
import type { SessionDaemon } from '../../electron/daemon/session-daemon';
import { isTrayError } from '../../shared/errors';
import type { StatusData } from '../../shared/protocol';
import { startInProcessDaemon } from '../helpers/in-process-daemon';
import { request, requestData } from '../helpers/session-client';
import { makeTempHome } from '../helpers/temp-home';

let temp: { home: string; remove(): void };
let userData: string;
const daemons: SessionDaemon[] = [];

/** A user-data folder as Chrome leaves it: Local State naming three profiles, two on disk. */
function fakeUserData(root: string): string {
  const dir = join(root, 'chrome-user-data');
  mkdirSync(join(dir, 'Default'), { recursive: true });
  mkdirSync(join(dir, 'Profile 1'));
  writeFileSync(
    join(dir, 'Local State'),
    JSON.stringify({
      profile: {
        info_cache: {
          Default: { name: 'Person 1' },
          'Profile 1': { name: 'Work' },
          'Profile 9': { name: 'Deleted long ago' },
        },
      },
    }),
  );
  return dir;
}

const env = () => ({ ...process.env, BROWSER_TRAY_CHROME_USER_DATA: userData });

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

beforeEach(() => {
  temp = makeTempHome('btray-profiles-');
  userData = fakeUserData(temp.home);
});

afterEach(async () => {
  for (const daemon of daemons.splice(0)) await daemon.requestShutdown('test finished');
  temp.remove();
});

afterAll(async () => {
  for (const daemon of daemons.splice(0)) await daemon.requestShutdown('suite finished');
});

describe('listProfiles', () => {
  it('reads folder and display names from Local State, keeping folders that exist', () => {
    expect(listProfiles(userData)).toEqual([
      { directory: 'Default', displayName: 'Person 1' },
      { directory: 'Profile 1', displayName: 'Work' },
    ]);
  });
});

describe('resolveProfile', () => {
  it('accepts the folder name, the display name, and the display name in any case', () => {
    for (const name of ['Profile 1', 'Work', 'work']) {
      expect(resolveProfile(name, env())).toMatchObject({
        directory: 'Profile 1',
        displayName: 'Work',
        userDataDir: userData,
      });
    }
  });

  it('an unknown name lists the profiles there are', () => {
    const error = thrown(() => resolveProfile('Holiday', env()));
    expect(isTrayError(error, 'PROFILE_NOT_FOUND')).toBe(true);
    expect(error.message).toBe(
      `--profile Holiday: no such Chrome profile in ${userData}. ` +
        'Profiles there: Default ("Person 1"), Profile 1 ("Work")',
    );
  });

  it('a folder without Local State is reported with where it looked', () => {
    const error = thrown(() =>
      resolveProfile('Default', { BROWSER_TRAY_CHROME_USER_DATA: join(temp.home, 'nothing') }),
    );
    expect(isTrayError(error, 'PROFILE_NOT_FOUND')).toBe(true);
    expect(error.message).toContain(join(temp.home, 'nothing'));
  });

  it('a SingletonLock held by a live process means in use, naming the profile', () => {
    symlinkSync(`${hostname()}-${process.pid}`, join(userData, 'SingletonLock'));
    const error = thrown(() => resolveProfile('Work', env()));
    expect(isTrayError(error, 'PROFILE_IN_USE')).toBe(true);
    expect(error.message).toContain(
      'Chrome profile "Work" (Profile 1) is in use by a running Chrome',
    );
    expect(error.message).toContain(`pid ${process.pid}`);
  });

  it('a lock left by a dead process is ignored, as Chrome itself does', () => {
    symlinkSync(`${hostname()}-${deadPid()}`, join(userData, 'SingletonLock'));
    expect(resolveProfile('Default', env()).directory).toBe('Default');
  });

  it('a lock from another machine counts as in use', () => {
    symlinkSync('some-other-host-1234', join(userData, 'SingletonLock'));
    const error = thrown(() => resolveProfile('Default', env()));
    expect(isTrayError(error, 'PROFILE_IN_USE')).toBe(true);
    expect(error.message).toContain('pid 1234 on some-other-host');
  });
});

describe('--profile in a session', () => {
  it('launches Chromium on the real user-data folder and profile, no keychain flags', async () => {
    const daemon = await startInProcessDaemon(temp.home, 'real', { profile: 'work', env: env() });
    daemons.push(daemon);
    await requestData(temp.home, 'real', 'open', { url: 'about:blank' });

    const status = await requestData<StatusData>(temp.home, 'real', 'status');
    expect(status.config.profile).toBe('work');
    const pid = status.browser?.pid;
    if (!pid) throw new Error('no browser pid');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(args).toContain(`--user-data-dir=${userData}`);
    expect(args).toContain('--profile-directory=Profile 1');
    expect(args).not.toContain('--use-mock-keychain');
    expect(args).not.toContain('--password-store=basic');

    // While it runs, the same folder is refused at once to another session.
    const other = await startInProcessDaemon(temp.home, 'second', {
      profile: 'Default',
      env: env(),
    });
    daemons.push(other);
    const started = Date.now();
    const refused = await request(temp.home, 'second', 'open', { url: 'about:blank' });
    // No launch is tried: a launch that hit the lock would take far longer.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refused).toMatchObject({ success: false, code: 'PROFILE_IN_USE' });
    expect(refused.success ? '' : refused.error).toContain('Chrome profile "Person 1" (Default)');
    expect(other.phase).toBe('failed');
  });

  it('an unknown profile fails the first command with the list, and launches nothing', async () => {
    const daemon = await startInProcessDaemon(temp.home, 'unknown', {
      profile: 'Holiday',
      env: env(),
    });
    daemons.push(daemon);
    const response = await request(temp.home, 'unknown', 'open', { url: 'about:blank' });
    expect(response).toMatchObject({ success: false, code: 'PROFILE_NOT_FOUND' });
    expect(response.success ? '' : response.error).toContain(
      'Profiles there: Default ("Person 1")',
    );
    const status = await requestData<StatusData>(temp.home, 'unknown', 'status');
    expect(status).toMatchObject({ phase: 'failed', browser: null });
  });
});
