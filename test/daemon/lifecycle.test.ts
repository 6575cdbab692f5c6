import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sessionPaths } from '../../electron/daemon/paths';
import { processAlive } from '../../electron/daemon/process-alive';
import { readStateFile } from '../../electron/daemon/state-file';
import type { PingData, StatusData } from '../../shared/protocol';
import { btray } from '../helpers/cli';
import { registerCliSuite } from '../helpers/cli-suite';
import { startDebuggableChromium } from '../helpers/debuggable-chromium';
import { startInProcessDaemon } from '../helpers/in-process-daemon';
import { daemonsOfHome, processGroupMembers, waitForExit, waitUntil } from '../helpers/processes';
import { request, requestData } from '../helpers/session-client';

const suite = registerCliSuite();
const newHome = () => suite.newHome();

/** Opens the form page through the CLI and returns the daemon's and Chromium's PIDs. */
async function openSession(
  home: string,
  session: string,
  extra: string[] = [],
): Promise<{ daemonPid: number; chromePid: number }> {
  const opened = await btray(home, [
    '--session',
    session,
    ...extra,
    'open',
    suite.fixtures.url('form.html'),
  ]);
  expect(opened.stderr).toBe('');
  expect(opened.code).toBe(0);
  const status = await requestData<StatusData>(home, session, 'status');
  const chromePid = status.browser?.pid;
  if (!chromePid) throw new Error('no browser pid in status');
  return { daemonPid: status.pid, chromePid };
}

function phaseOf(home: string, session: string): string | undefined {
  const read = readStateFile(sessionPaths(home, session).state);
  return read.ok ? read.state.phase : undefined;
}

function expectCleanStop(home: string, session: string, chromePid: number): void {
  const paths = sessionPaths(home, session);
  expect(phaseOf(home, session)).toBe('stopped');
  expect(existsSync(paths.pid)).toBe(false);
  expect(existsSync(paths.token)).toBe(false);
  expect(existsSync(paths.socket)).toBe(false);
  expect(processGroupMembers(chromePid)).toEqual([]);
}

/** The throwaway profile folder a Chromium of ours runs on, from its command line. */
function profileOf(chromePid: number): string {
  const args = readFileSync(`/proc/${chromePid}/cmdline`, 'utf8').split('\0');
  const flag = args.find((arg) => arg.startsWith('--user-data-dir='));
  if (!flag) throw new Error(`no --user-data-dir in ${args.join(' ')}`);
  return flag.slice('--user-data-dir='.length);
}

/** Why the state file says the session stopped, and whether it ended by itself. */
function stopCause(home: string, session: string): { reason?: string; byItself?: boolean } {
  const read = readStateFile(sessionPaths(home, session).state);
  if (!read.ok) throw new Error(`no state file: ${read.problem}`);
  return { reason: read.state.stop_reason, byItself: read.state.stopped_by_itself };
}

describe('watchdogs', () => {
  it('stops an idle session after its idle timeout, with phase stopped', async () => {
    const home = newHome();
    const { daemonPid, chromePid } = await openSession(home, 'idle', ['--idle-timeout', '2']);
    expect(await waitForExit(daemonPid, 15_000)).toBe(true);
    expectCleanStop(home, 'idle', chromePid);
    expect(stopCause(home, 'idle')).toEqual({ reason: 'idle for 2 s', byItself: true });
  });

  it('stops the daemon when its Chromium is killed; the next command says the page is gone', async () => {
    const home = newHome();
    const { daemonPid, chromePid } = await openSession(home, 'killed-browser');
    process.kill(chromePid, 'SIGKILL');
    expect(await waitForExit(daemonPid, 10_000)).toBe(true);
    expectCleanStop(home, 'killed-browser', chromePid);
    expect(stopCause(home, 'killed-browser')).toMatchObject({ byItself: true });
    expect(stopCause(home, 'killed-browser').reason).toMatch(/^browser gone: /);

    // The next command starts a fresh session, and says why the old page is not there.
    const next = await btray(home, ['--session', 'killed-browser', 'eval', 'location.href']);
    expect(next).toMatchObject({ code: 0, stdout: 'about:blank\n' });
    expect(next.stderr).toMatch(
      /^Note: session "killed-browser" had ended by itself \(browser gone: /,
    );

    // A session someone closed is not news: no note.
    await btray(home, ['--session', 'killed-browser', 'close']);
    expect(stopCause(home, 'killed-browser')).toMatchObject({ byItself: false });
    const again = await btray(home, ['--session', 'killed-browser', 'eval', '1']);
    expect(again).toMatchObject({ code: 0, stdout: '1\n', stderr: '' });
  });
});

describe('signals', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal} in the middle of a command leaves no Chromium, PID or token file`, async () => {
      const home = newHome();
      const session = `sig-${signal.toLowerCase()}`;
      const { daemonPid, chromePid } = await openSession(home, session);

      const slow = request(home, session, 'eval', {
        js: 'new Promise((resolve) => setTimeout(resolve, 20000))',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(daemonPid, signal);

      const answer = await slow;
      expect(answer.success).toBe(false);
      expect(await waitForExit(daemonPid, 15_000)).toBe(true);
      expectCleanStop(home, session, chromePid);
      expect(stopCause(home, session)).toEqual({ reason: `signal ${signal}`, byItself: false });
    });
  }

  it('after SIGKILL of the daemon, its Chromium exits and the next open recovers', async () => {
    const home = newHome();
    const { daemonPid, chromePid } = await openSession(home, 'sigkill');
    const profile = profileOf(chromePid);
    process.kill(daemonPid, 'SIGKILL');
    expect(await waitForExit(daemonPid)).toBe(true);
    expect(await waitUntil(() => processGroupMembers(chromePid).length === 0, 10_000)).toBe(true);
    // Nobody was left to remove the throwaway profile.
    expect(existsSync(profile)).toBe(true);

    // The page is gone with it: the next command says so before it starts afresh.
    const title = await btray(home, ['--session', 'sigkill', 'get', 'title']);
    expect(title.stderr).toContain(
      `session "sigkill" had ended without stopping (its daemon, pid ${daemonPid}, was killed`,
    );
    expect(title.stdout.trim()).toBe('');
    const reopened = await openSession(home, 'sigkill');
    expect(reopened.daemonPid).not.toBe(daemonPid);
    // The next daemon sweeps it away: its owner is gone.
    expect(await waitUntil(() => !existsSync(profile), 10_000)).toBe(true);
    expect(existsSync(profileOf(reopened.chromePid))).toBe(true);
  });

  it('close removes the throwaway profile of its browser', async () => {
    const home = newHome();
    const { chromePid } = await openSession(home, 'tidy');
    const profile = profileOf(chromePid);
    expect(existsSync(profile)).toBe(true);

    await btray(home, ['--session', 'tidy', 'close']);

    expect(existsSync(profile)).toBe(false);
  });
});

describe('a session started again while its old daemon still shuts down', () => {
  it('keeps the new daemon in the state file when the old one stops later', async () => {
    const home = newHome();
    const chromium = await startDebuggableChromium();
    onTestFinished(() => chromium.kill());
    const opened = await btray(home, [
      '--session',
      'again',
      '--cdp-url',
      chromium.wsEndpoint,
      'open',
      'data:text/html,<title>old</title>',
    ]);
    expect(opened.code).toBe(0);
    const old = await requestData<StatusData>(home, 'again', 'status');

    // A frozen browser holds the old daemon in its 10 s close budget after its socket is gone.
    process.kill(-chromium.pid, 'SIGSTOP');
    await request(home, 'again', 'shutdown');
    const reopened = await btray(home, ['--session', 'again', 'open', 'data:text/html,<p>new']);
    expect(reopened.code).toBe(0);
    const fresh = await requestData<StatusData>(home, 'again', 'status');
    expect(fresh.pid).not.toBe(old.pid);

    expect(await waitForExit(old.pid, 20_000)).toBe(true);
    const state = readStateFile(sessionPaths(home, 'again').state);
    expect(state.ok && state.state).toMatchObject({ pid: fresh.pid, phase: 'running' });
  });
});

describe('start-up', () => {
  it('several btray open started together end with one daemon and one browser', async () => {
    const home = newHome();
    const runs = await Promise.all(
      Array.from({ length: 5 }, () =>
        btray(home, ['--session', 'crowd', 'open', suite.fixtures.url('form.html')]),
      ),
    );
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });

    const status = await requestData<StatusData>(home, 'crowd', 'status');
    const pids = new Set<number>();
    for (const run of await Promise.all(
      Array.from({ length: 3 }, () => btray(home, ['--session', 'crowd', '--json', 'status'])),
    )) {
      pids.add((JSON.parse(run.stdout) as { data: StatusData }).data.pid);
    }
    expect([...pids]).toEqual([status.pid]);
    expect(await waitUntil(() => daemonsOfHome(home).length === 1, 5000)).toBe(true);
    expect(daemonsOfHome(home)).toEqual([status.pid]);
    expect(status.browser?.pid && processAlive(status.browser.pid)).toBe(true);
  });

  it('starts the browser once when commands arrive together, and answers ping during a long command', async () => {
    const home = newHome();
    const daemon = await startInProcessDaemon(home, 'together');
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          requestData<{ result: number }>(home, 'together', 'eval', { js: `${i} * 2` }),
        ),
      );
      expect(results.map((result) => result.result)).toEqual([0, 2, 4, 6, 8, 10]);

      const slow = requestData(home, 'together', 'eval', {
        js: 'new Promise((resolve) => setTimeout(() => resolve(1), 5000))',
      });
      const started = Date.now();
      const ping = await requestData<PingData>(home, 'together', 'ping');
      const status = await requestData<StatusData>(home, 'together', 'status');
      // Half the slow command's time: room for a loaded CI machine, while a ping that
      // queued behind the command would still fail.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(ping.session).toBe('together');
      expect(status.phase).toBe('running');
      await slow;
    } finally {
      await daemon.requestShutdown('test finished');
    }
    expect(daemon.phase).toBe('stopped');
  });

  it('a failed browser start is reported, leaves phase failed, and kills nothing of others', async () => {
    const home = newHome();
    const daemon = await startInProcessDaemon(home, 'nochrome', { chromePath: '/bin/false' });
    try {
      const response = await request(home, 'nochrome', 'open', { url: 'about:blank' });
      expect(response).toMatchObject({ success: false, code: 'BROWSER_START_FAILED' });
      expect(phaseOf(home, 'nochrome')).toBe('failed');
      const read = readStateFile(sessionPaths(home, 'nochrome').state);
      expect(read.ok && read.state.error).toMatch(/Chromium exited before it was ready/);
      const ping = await request(home, 'nochrome', 'ping');
      expect(ping.success).toBe(true);
    } finally {
      await daemon.requestShutdown('test finished');
    }
  });
});
