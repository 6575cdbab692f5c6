import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { sessionPaths } from '../../electron/daemon/paths';
import { SessionHost } from '../../electron/host/session-host';
import { isTrayError } from '../../shared/errors';
import type { PingData, StatusData } from '../../shared/protocol';
import { processesMentioning } from '../helpers/processes';
import { decodeErrors, probeVideo } from '../helpers/video';
import {
  askSession,
  daemonEnv,
  hostFrozenBrowser,
  makeHome,
  processAlive,
  startHeadlessDaemon,
  statePhase,
  waitFor,
  waitForExit,
} from './host-test-kit';

let home: string;
let host: SessionHost;
const children: ChildProcess[] = [];

beforeEach(() => {
  home = makeHome('host');
  host = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
});

afterEach(async () => {
  await host.stopAll(20_000);
  for (const child of children.splice(0)) {
    child.kill('SIGTERM');
    await waitForExit(child);
  }
  rmSync(home, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('SessionHost', () => {
  it('hosts two sessions at once, each on its own socket with its own token', async () => {
    const a = await host.create('alpha');
    const b = await host.create('beta', { idleTimeoutS: 120 });

    expect(a.phase).toBe('ready');
    expect(host.list().map((session) => session.session)).toEqual(['alpha', 'beta']);
    const tokens = ['alpha', 'beta'].map((name) =>
      readFileSync(sessionPaths(home, name).token, 'utf8'),
    );
    expect(tokens[0]).not.toBe(tokens[1]);

    const pingA = await askSession(home, 'alpha', 'ping');
    const statusB = await askSession(home, 'beta', 'status');
    expect(pingA.success && (pingA.data as PingData).session).toBe('alpha');
    expect(statusB.success && (statusB.data as StatusData).idle_timeout_s).toBe(120);
    expect(b.socket).toBe(sessionPaths(home, 'beta').socket);

    const state = JSON.parse(readFileSync(sessionPaths(home, 'alpha').state, 'utf8'));
    expect(state.host).toBe('tray');
    expect(state.pid).toBe(process.pid);
    expect(existsSync(sessionPaths(home, 'alpha').log)).toBe(true);
  });

  it('runs a browser command through a hosted session socket', async () => {
    await host.create('web');

    const opened = await askSession(home, 'web', 'open', {
      url: 'data:text/html,<title>Hosted</title><p id="n">41</p>',
    });
    expect(opened.success).toBe(true);
    const evaluated = await askSession(home, 'web', 'eval', {
      js: 'Number(document.getElementById("n").textContent) + 1',
    });

    expect(evaluated).toMatchObject({ success: true, data: { result: 42 } });
    expect(host.list()[0]?.phase).toBe('running');
  });

  it('refuses a bad name and a session it already hosts', async () => {
    await host.create('dup');

    const badName = await refusal(host.create('../etc'));
    const again = await refusal(host.create('dup'));

    expect(isTrayError(badName, 'BAD_REQUEST')).toBe(true);
    expect(isTrayError(again, 'BAD_REQUEST')).toBe(true);
    expect(existsSync(`${home}/../etc.sock`)).toBe(false);
  });

  it('refuses a session live in another process and leaves its files alone', async () => {
    children.push(await startHeadlessDaemon(home, 'elsewhere'));
    const paths = sessionPaths(home, 'elsewhere');
    const tokenBefore = readFileSync(paths.token, 'utf8');

    const error = await refusal(host.create('elsewhere'));

    expect(isTrayError(error, 'BAD_REQUEST')).toBe(true);
    expect((error as Error).message).toMatch(/already running/);
    expect(readFileSync(paths.token, 'utf8')).toBe(tokenBefore);
    expect(statePhase(home, 'elsewhere')).toBe('ready');
    expect((await askSession(home, 'elsewhere', 'ping')).success).toBe(true);
    expect(host.list()).toEqual([]);
  });

  it('drops a session that shuts itself down and keeps hosting the others', async () => {
    await host.create('leaving');
    await host.create('staying');
    let changes = 0;
    host.onChange(() => changes++);

    const answer = await askSession(home, 'leaving', 'shutdown');
    await waitFor('leaving to be dropped', () => !host.has('leaving'));

    expect(answer.success).toBe(true);
    expect(changes).toBe(1);
    expect(statePhase(home, 'leaving')).toBe('stopped');
    expect(host.list().map((session) => session.session)).toEqual(['staying']);
    expect((await askSession(home, 'staying', 'ping')).success).toBe(true);
    // The name is free again: the host can start it anew.
    await host.create('leaving');
    expect((await askSession(home, 'leaving', 'ping')).success).toBe(true);
  });

  it('stop ends one session and refuses a session it does not host', async () => {
    await host.create('one');

    const outcome = await host.stop('one');
    const unknown = await refusal(host.stop('nobody'));

    expect(outcome.phase).toBe('stopped');
    expect(existsSync(sessionPaths(home, 'one').token)).toBe(false);
    expect(isTrayError(unknown, 'BAD_REQUEST')).toBe(true);
  });

  it('stopAll stops every hosted session gracefully, browser included', async () => {
    await host.create('first');
    await host.create('second');
    await askSession(home, 'first', 'open', { url: 'data:text/html,<p>hi</p>' });
    const status = await askSession(home, 'first', 'status');
    const browserPid = status.success ? (status.data as StatusData).browser?.pid : undefined;
    expect(browserPid).toBeTypeOf('number');

    const report = await host.stopAll(20_000);

    expect(report).toEqual({ stopped: ['first', 'second'], unfinished: [] });
    expect(statePhase(home, 'first')).toBe('stopped');
    expect(statePhase(home, 'second')).toBe('stopped');
    expect(existsSync(sessionPaths(home, 'first').socket)).toBe(false);
    await waitFor('Chromium to exit', () => !processAlive(browserPid as number), 5000);
    const afterwards = await refusal(host.create('third'));
    expect(isTrayError(afterwards, 'SHUTTING_DOWN')).toBe(true);
  });

  it('stopAll reports a session still closing its browser at the deadline', async () => {
    await hostFrozenBrowser(host, home, 'slow');
    await host.create('quick');

    const started = Date.now();
    const report = await host.stopAll(500);

    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.unfinished).toEqual(['slow']);
    expect(report.stopped).toEqual(['quick']);
    // The session still finishes on its own after the deadline, once its close budget ends.
    await waitFor('slow to stop', () => statePhase(home, 'slow') === 'stopped', 20_000);
    await waitFor('slow to be dropped', () => !host.has('slow'));
  });

  it('stopAll waits past its deadline for a recording being finished, so no video is cut', async () => {
    await host.create('filming');
    await askSession(home, 'filming', 'open', { url: 'data:text/html,<p>film</p>' });
    const video = join(home, 'quit.mp4');
    const started = await askSession(home, 'filming', 'record', {
      record_command: 'start',
      path: video,
    });
    expect(started.success).toBe(true);
    await delay(1500);

    await host.stopAll(1);

    // The browser may still be closing after the deadline, but the video is complete:
    // its ffmpeg has exited, having written the index.
    expect(processesMentioning(video)).toEqual([]);
    expect(decodeErrors(video)).toBe('');
    expect(probeVideo(video).durationS).toBeGreaterThan(1);
  });
});
