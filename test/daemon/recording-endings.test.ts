import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionPaths } from '../../electron/daemon/paths';
import { readStateFile } from '../../electron/daemon/state-file';
import type { StatusData } from '../../shared/protocol';
import type { RecordingStatus, RecordingSummary } from '../../shared/recording';
import { startDaemonProcess } from '../helpers/cli';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import {
  processesMentioning,
  processGroupMembers,
  waitForExit,
  waitUntil,
} from '../helpers/processes';
import { request, requestData } from '../helpers/session-client';
import { makeTempHome } from '../helpers/temp-home';
import { decodeErrors, durationProblem, probeVideo } from '../helpers/video';

/** How long each recording runs before its ending: long enough for a 10% bound to mean much. */
const RECORD_S = 5;

let fixtures: FixtureServer;
const homes: Array<{ home: string; remove(): void }> = [];
const daemons: ChildProcess[] = [];

beforeAll(async () => {
  fixtures = await startFixtureServer();
});

afterEach(async () => {
  for (const daemon of daemons.splice(0)) {
    if (daemon.exitCode === null && daemon.signalCode === null && daemon.pid) {
      daemon.kill('SIGTERM');
      await waitForExit(daemon.pid, 30_000);
    }
  }
  for (const temp of homes.splice(0)) temp.remove();
});

afterAll(async () => {
  await fixtures?.close();
});

interface RecordingDaemon {
  home: string;
  session: string;
  daemon: ChildProcess;
  daemonPid: number;
  chromePid: number;
  video: string;
}

/** A headless daemon process showing `fixture`, with its Chromium started. */
async function startSession(
  session: string,
  fixture: string,
  options: { idleTimeoutS?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RecordingDaemon> {
  const temp = makeTempHome('btray-rec-');
  homes.push(temp);
  const { home } = temp;
  const daemon = startDaemonProcess(
    home,
    ['--session', session, '--idle-timeout', String(options.idleTimeoutS ?? 120)],
    options.env,
  );
  daemons.push(daemon);
  const paths = sessionPaths(home, session);
  const ready = await waitUntil(() => {
    const read = readStateFile(paths.state);
    return read.ok && read.state.phase === 'ready' && existsSync(paths.token);
  }, 15_000);
  if (!ready || !daemon.pid) throw new Error('the daemon did not get ready');

  await requestData(home, session, 'open', { url: fixtures.url(fixture) });
  const status = await requestData<StatusData>(home, session, 'status');
  const chromePid = status.browser?.pid;
  if (!chromePid) throw new Error('status shows no browser pid');
  return { home, session, daemon, daemonPid: daemon.pid, chromePid, video: join(home, 'v.mp4') };
}

/** Starts a recording over its own connection; returns when the start was answered. */
async function startRecording(target: RecordingDaemon): Promise<number> {
  const started = await requestData<RecordingStatus>(target.home, target.session, 'record', {
    record_command: 'start',
    path: target.video,
  });
  expect(started).toMatchObject({ active: true, path: target.video, framerate: 30 });
  return performance.now();
}

function phaseOf(target: RecordingDaemon): string | undefined {
  const read = readStateFile(sessionPaths(target.home, target.session).state);
  return read.ok ? read.state.phase : undefined;
}

/** Polls the state file until the session starts shutting down; returns that moment. */
async function shutdownBegins(target: RecordingDaemon): Promise<number> {
  const seen = await waitUntil(() => phaseOf(target) !== 'running', 30_000, 20);
  if (!seen) throw new Error('the session never started shutting down');
  return performance.now();
}

/** The daemon is gone, and so are its ffmpeg and Chromium; the video is whole and long enough. */
async function expectFinishedVideo(target: RecordingDaemon, recordedS: number): Promise<void> {
  expect(await waitForExit(target.daemonPid, 30_000)).toBe(true);
  expect(await waitUntil(() => processesMentioning(target.video).length === 0, 15_000)).toBe(true);
  expect(await waitUntil(() => processGroupMembers(target.chromePid).length === 0, 15_000)).toBe(
    true,
  );

  expect(existsSync(target.video)).toBe(true);
  const video = probeVideo(target.video);
  expect(video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720 });
  expect(video.errors).toBe('');
  expect(decodeErrors(target.video)).toBe('');
  expect(durationProblem(video.durationS, recordedS)).toBe('');
}

describe('a recording is finished on every ending', () => {
  it('record stop, from another connection than the start, on an animated page', async () => {
    const target = await startSession('stop', 'recording-animated.html');
    const startedAt = await startRecording(target);
    await delay(RECORD_S * 1000);

    const stopRequestedAt = performance.now();
    const summary = await requestData<RecordingSummary>(target.home, target.session, 'record', {
      record_command: 'stop',
    });
    expect(summary).toMatchObject({ path: target.video });
    expect(summary.size_bytes).toBeGreaterThan(0);
    expect(processesMentioning(target.video)).toEqual([]);
    expect(durationProblem(summary.duration_s, stopRequestedAt / 1000 - startedAt / 1000)).toBe('');

    await request(target.home, target.session, 'shutdown');
    await expectFinishedVideo(target, (stopRequestedAt - startedAt) / 1000);
  });

  it('a shutdown request: the phase stays shutting_down until the file is complete', async () => {
    const target = await startSession('shutdown', 'recording-static.html');
    const startedAt = await startRecording(target);
    await delay(RECORD_S * 1000);

    const endedAt = performance.now();
    await request(target.home, target.session, 'shutdown');
    // Whenever the state file says stopped, ffmpeg must be gone already.
    let ffmpegAtStop: number[] | undefined;
    await waitUntil(
      () => {
        if (phaseOf(target) !== 'stopped') return false;
        ffmpegAtStop = processesMentioning(target.video);
        return true;
      },
      30_000,
      10,
    );
    expect(ffmpegAtStop).toEqual([]);
    await expectFinishedVideo(target, (endedAt - startedAt) / 1000);
  });

  it('the idle timeout', async () => {
    const target = await startSession('idle', 'recording-static.html', { idleTimeoutS: 6 });
    const startedAt = await startRecording(target);
    const endedAt = await shutdownBegins(target);
    await expectFinishedVideo(target, (endedAt - startedAt) / 1000);
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(signal, async () => {
      const target = await startSession(signal.toLowerCase(), 'recording-animated.html');
      const startedAt = await startRecording(target);
      await delay(RECORD_S * 1000);

      const endedAt = performance.now();
      process.kill(target.daemonPid, signal);
      await expectFinishedVideo(target, (endedAt - startedAt) / 1000);
    });
  }

  it('the browser being killed: the frames we have are finished into the file', async () => {
    const target = await startSession('browser-killed', 'recording-animated.html');
    const startedAt = await startRecording(target);
    await delay(RECORD_S * 1000);

    process.kill(target.chromePid, 'SIGKILL');
    // The last frame repeats until the watchdog shuts the session down.
    const endedAt = await shutdownBegins(target);
    await expectFinishedVideo(target, (endedAt - startedAt) / 1000);
  });

  it('SIGKILL of the daemon: ffmpeg, in its own process group, finishes the file by itself', async () => {
    const target = await startSession('sigkill', 'recording-animated.html');
    const startedAt = await startRecording(target);
    const [ffmpegPid] = processesMentioning(target.video);
    if (!ffmpegPid) throw new Error('no ffmpeg writes the video');
    expect(processGroupOf(ffmpegPid)).not.toBe(processGroupOf(target.daemonPid));
    await delay(RECORD_S * 1000);

    const endedAt = performance.now();
    process.kill(target.daemonPid, 'SIGKILL');
    await expectFinishedVideo(target, (endedAt - startedAt) / 1000);
  });
});

describe('record over the protocol', () => {
  it('refuses a double start and a stop without recording; status and state show the recording', async () => {
    const target = await startSession('twice', 'recording-static.html');
    const { home, session } = target;
    const notYet = await request(home, session, 'record', { record_command: 'stop' });
    expect(notYet).toMatchObject({ success: false, code: 'BAD_REQUEST' });

    await startRecording(target);
    const other = join(home, 'other.mp4');
    const again = await request(home, session, 'record', {
      record_command: 'start',
      path: other,
    });
    expect(again).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(existsSync(other)).toBe(false);

    const status = await requestData<StatusData>(home, session, 'status');
    expect(status.recording).toMatchObject({ active: true, path: target.video, framerate: 30 });
    const state = readStateFile(sessionPaths(home, session).state);
    expect(state.ok && state.state.recording).toMatchObject({ active: true, path: target.video });
    const recordStatus = await requestData<RecordingStatus>(home, session, 'record', {
      record_command: 'status',
    });
    expect(recordStatus).toMatchObject({ active: true, path: target.video });

    const relative = await request(home, session, 'record', {
      record_command: 'start',
      path: 'relative.mp4',
    });
    expect(relative).toMatchObject({ success: false, code: 'BAD_REQUEST' });

    await requestData(home, session, 'record', { record_command: 'stop' });
    const after = readStateFile(sessionPaths(home, session).state);
    expect(after.ok && after.state.recording).toBeNull();
    const stopAgain = await request(home, session, 'record', { record_command: 'stop' });
    expect(stopAgain).toMatchObject({ success: false, code: 'BAD_REQUEST' });

    // The finished video is kept: a start on it is refused unless told to replace it.
    const size = statSync(target.video).size;
    const onVideo = await request(home, session, 'record', {
      record_command: 'start',
      path: target.video,
    });
    expect(onVideo).toMatchObject({ success: false, code: 'FILE_ERROR' });
    expect(!onVideo.success && onVideo.error).toContain('--overwrite');
    expect(statSync(target.video).size).toBe(size);
    const webm = await request(home, session, 'record', {
      record_command: 'start',
      path: join(home, 'clip.webm'),
    });
    expect(webm).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(!webm.success && webm.error).toContain('must end in .mp4');
    // A file where the folder should be is named as a folder problem, not a bare errno.
    const underFile = await request(home, session, 'record', {
      record_command: 'start',
      path: join(target.video, 'clip.mp4'),
    });
    expect(underFile).toMatchObject({ success: false, code: 'FILE_ERROR' });
    expect(!underFile.success && underFile.error).toContain('cannot write the video');
    await requestData(home, session, 'record', {
      record_command: 'start',
      path: target.video,
      overwrite: true,
    });
    await requestData(home, session, 'record', { record_command: 'stop' });
    await request(home, session, 'shutdown');
    expect(await waitForExit(target.daemonPid, 30_000)).toBe(true);
  });

  it('a missing ffmpeg is FFMPEG_NOT_FOUND, saying how to install it, and leaves no file', async () => {
    const target = await startSession('noffmpeg', 'recording-static.html', {
      env: { BROWSER_TRAY_FFMPEG: '/nonexistent/ffmpeg' },
    });
    const response = await request(target.home, target.session, 'record', {
      record_command: 'start',
      path: target.video,
    });
    expect(response).toMatchObject({ success: false, code: 'FFMPEG_NOT_FOUND' });
    expect(!response.success && response.error).toMatch(/BROWSER_TRAY_FFMPEG/);
    expect(existsSync(target.video)).toBe(false);
    const status = await requestData<StatusData>(target.home, target.session, 'status');
    expect(status.recording).toBeNull();
    await request(target.home, target.session, 'shutdown');
    expect(await waitForExit(target.daemonPid, 30_000)).toBe(true);
  });
});

function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}
