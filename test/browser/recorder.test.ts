import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../electron/browser/browser-session';
import { Recorder, type RecorderOptions } from '../../electron/browser/recorder';
import { silentLogger } from '../../electron/daemon/logger';
import { isTrayError, type TrayError } from '../../shared/errors';
import type { RecordingStatus } from '../../shared/recording';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { processesMentioning, waitUntil } from '../helpers/processes';
import { colourAt, decodeErrors, durationProblem, probeVideo } from '../helpers/video';

const FIXTURES = join(__dirname, '..', 'fixtures');

let fixtures: FixtureServer;
let browser: BrowserSession;
let dir: string;
const recorders: Recorder[] = [];

beforeAll(async () => {
  fixtures = await startFixtureServer();
  browser = await BrowserSession.start({
    headed: false,
    cdpUrl: null,
    chromePath: null,
    env: process.env,
    log: silentLogger(),
  });
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'btray-recorder-'));
});

afterEach(async () => {
  await Promise.all(recorders.splice(0).map((recorder) => recorder.finish()));
  rmSync(dir, { recursive: true, force: true });
});

function newRecorder(overrides: Partial<RecorderOptions> = {}): Recorder {
  const recorder = new Recorder({
    ffmpegPath: null,
    env: process.env,
    log: silentLogger(),
    ...overrides,
  });
  recorders.push(recorder);
  return recorder;
}

async function show(fixture: string): Promise<void> {
  await browser.page.navigate(fixtures.url(fixture), 10_000);
}

/** Records the current page for `seconds`; returns the summary and the wall time taken. */
async function recordFor(recorder: Recorder, path: string, seconds: number) {
  await recorder.start(browser.page, { path, framerate: 30 });
  const startedMs = performance.now();
  await delay(seconds * 1000);
  const wallS = (performance.now() - startedMs) / 1000;
  const summary = await recorder.stop();
  return { summary, wallS };
}

async function expectCode(promise: Promise<unknown>, code: TrayError['code']): Promise<TrayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isTrayError(error, code)) throw new Error(`expected ${code}, got ${String(error)}`);
  return error;
}

describe('Recorder', () => {
  it('records an animated page to an H.264 MP4 in yuv420p as long as the recording lasted', async () => {
    await show('recording-animated.html');
    const changes: Array<RecordingStatus | null> = [];
    const recorder = newRecorder({ onChange: (status) => changes.push(status) });
    const path = join(dir, 'animated.mp4');

    const { summary, wallS } = await recordFor(recorder, path, 4);

    const video = probeVideo(path);
    expect(video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720 });
    expect(video.errors).toBe('');
    expect(decodeErrors(path)).toBe('');
    expect(durationProblem(video.durationS, wallS)).toBe('');
    expect(summary.path).toBe(path);
    expect(summary.frames).toBeGreaterThanOrEqual(Math.floor(wallS * 30));
    expect(summary.duration_s).toBeCloseTo(summary.frames / 30, 1);
    expect(summary.size_bytes).toBe(statSync(path).size);
    expect(changes.map((status) => status?.active ?? null)).toEqual([true, null]);
    expect(recorder.status()).toBeNull();
  });

  it('records a page that never repaints for as long as the wall clock says', async () => {
    await show('recording-static.html');
    const recorder = newRecorder();
    const path = join(dir, 'static.mp4');

    const { wallS } = await recordFor(recorder, path, 5);

    const video = probeVideo(path);
    expect(video.errors).toBe('');
    expect(durationProblem(video.durationS, wallS)).toBe('');
  });

  it('reports path, framerate, elapsed time, frames and size while recording', async () => {
    await show('recording-animated.html');
    const recorder = newRecorder();
    const path = join(dir, 'status.mp4');
    await recorder.start(browser.page, { path, framerate: 15 });
    await delay(2000);

    const status = recorder.status();
    expect(status).toMatchObject({ active: true, path, framerate: 15 });
    expect(status?.elapsed_s).toBeGreaterThanOrEqual(1.9);
    expect(status?.frames).toBeGreaterThanOrEqual(28);
    expect(status?.started_at).toBeLessThanOrEqual(Date.now() / 1000);
    expect(status?.size_bytes).toBeGreaterThan(0);
    await recorder.stop();
  });

  it('follows the focused tab and keeps one continuous video', async () => {
    await browser.page.navigate(`${fixtures.url('recording-solid.html')}#ff0000`, 10_000);
    const recorder = newRecorder();
    const unsubscribe = browser.tabs.onFocusChange((page) => void recorder.follow(page));
    const first = browser.page;
    const path = join(dir, 'tabs.mp4');
    try {
      await recorder.start(first, { path, framerate: 30 });
      const startedMs = performance.now();
      await delay(2000);
      const second = await browser.tabs.open(`${fixtures.url('recording-solid.html')}#0000ff`);
      await delay(2000);
      const wallS = (performance.now() - startedMs) / 1000;
      await recorder.stop();
      await browser.tabs.close(second);
      await browser.tabs.focus(first);

      const video = probeVideo(path);
      expect(video.errors).toBe('');
      expect(durationProblem(video.durationS, wallS)).toBe('');
      const [r1, , b1] = colourAt(path, 0.5);
      const [r2, , b2] = colourAt(path, video.durationS - 0.5);
      expect(r1).toBeGreaterThan(200);
      expect(b1).toBeLessThan(60);
      expect(b2).toBeGreaterThan(200);
      expect(r2).toBeLessThan(60);
    } finally {
      unsubscribe();
    }
  });

  it('refuses a second start and a stop without a recording, changing nothing', async () => {
    await show('recording-static.html');
    const recorder = newRecorder();
    await expectCode(recorder.stop(), 'BAD_REQUEST');

    const path = join(dir, 'first.mp4');
    const other = join(dir, 'second.mp4');
    await recorder.start(browser.page, { path, framerate: 30 });
    const refusal = await expectCode(
      recorder.start(browser.page, { path: other, framerate: 30 }),
      'BAD_REQUEST',
    );
    expect(refusal.message).toContain(path);
    expect(existsSync(other)).toBe(false);
    expect(recorder.status()).toMatchObject({ active: true, path });

    await delay(1000);
    const summary = await recorder.stop();
    expect(summary.path).toBe(path);
    expect(probeVideo(path).errors).toBe('');
    await expectCode(recorder.stop(), 'BAD_REQUEST');
  });

  it('says how to install ffmpeg when BROWSER_TRAY_FFMPEG points nowhere, and writes nothing', async () => {
    const recorder = newRecorder({ ffmpegPath: join(dir, 'no-such-ffmpeg') });
    const path = join(dir, 'never.mp4');
    const error = await expectCode(
      recorder.start(browser.page, { path, framerate: 30 }),
      'FFMPEG_NOT_FOUND',
    );
    expect(error.message).toContain('BROWSER_TRAY_FFMPEG');
    expect(error.message).toContain('apt-get install ffmpeg');
    expect(existsSync(path)).toBe(false);
    expect(recorder.status()).toBeNull();
  });

  it('finds no ffmpeg on an empty PATH', async () => {
    const recorder = newRecorder({ env: { PATH: dir } });
    await expectCode(
      recorder.start(browser.page, { path: join(dir, 'x.mp4'), framerate: 30 }),
      'FFMPEG_NOT_FOUND',
    );
  });

  it('refuses an output folder that does not exist, before anything starts', async () => {
    const recorder = newRecorder();
    const path = join(dir, 'missing', 'video.mp4');
    const error = await expectCode(
      recorder.start(browser.page, { path, framerate: 30 }),
      'FILE_ERROR',
    );
    expect(error.message).toContain(path);
    expect(processesMentioning(path)).toEqual([]);
  });

  it('fails clearly when the page sends no frame (a crashed tab), and leaves no file', async () => {
    const first = browser.page;
    const crashed = await browser.tabs.open('about:blank');
    try {
      const gone = new Promise<void>((resolve) => {
        crashed.on('Inspector.targetCrashed', () => resolve());
      });
      // Page.crash never answers: the renderer it would answer from is gone.
      crashed.send('Page.crash').catch(() => undefined);
      await gone;

      const recorder = newRecorder();
      const path = join(dir, 'nothing.mp4');
      const error = await expectCode(
        recorder.start(crashed, { path, framerate: 30 }),
        'RECORDER_FAILED',
      );
      expect(error.message).toContain('no frame');
      expect(existsSync(path)).toBe(false);
      expect(processesMentioning(path)).toEqual([]);
      expect(recorder.status()).toBeNull();
    } finally {
      await browser.tabs.close(crashed);
      await browser.tabs.focus(first);
    }
  });

  it('reports an ffmpeg that exits at once with its last lines, and leaves no file', async () => {
    await show('recording-static.html');
    const broken = join(FIXTURES, 'ffmpeg-broken.sh');
    const recorder = newRecorder({ ffmpegPath: broken });
    const path = join(dir, 'broken.mp4');
    const error = await expectCode(
      recorder.start(browser.page, { path, framerate: 30 }),
      'RECORDER_FAILED',
    );
    expect(error.message).toContain('encoder exploded');
    expect(existsSync(path)).toBe(false);
    expect(recorder.status()).toBeNull();
  });

  it('never blocks on an ffmpeg that writes a lot to stderr', async () => {
    await show('recording-animated.html');
    const chatty = join(FIXTURES, 'ffmpeg-chatty.sh');
    const recorder = newRecorder({ ffmpegPath: chatty });
    const path = join(dir, 'chatty.mp4');

    const { wallS } = await recordFor(recorder, path, 4);

    const video = probeVideo(path);
    expect(video.errors).toBe('');
    expect(durationProblem(video.durationS, wallS)).toBe('');
  });

  it('reports an ffmpeg that dies mid-recording at the next stop, keeping what it wrote', async () => {
    await show('recording-animated.html');
    const changes: Array<RecordingStatus | null> = [];
    const recorder = newRecorder({ onChange: (status) => changes.push(status) });
    const path = join(dir, 'killed.mp4');
    await recorder.start(browser.page, { path, framerate: 30 });
    await delay(3500);

    const [ffmpegPid] = processesMentioning(path);
    if (!ffmpegPid) throw new Error('no ffmpeg process writes the video');
    process.kill(ffmpegPid, 'SIGKILL');
    expect(await waitUntil(() => recorder.status() === null)).toBe(true);

    const error = await expectCode(recorder.stop(), 'RECORDER_FAILED');
    expect(error.message).toContain(path);
    expect(changes.at(-1)).toBeNull();
    // The fragments written before the kill (one a second) still play.
    expect(probeVideo(path).durationS).toBeGreaterThanOrEqual(1);
    expect(decodeErrors(path)).toBe('');
    await expectCode(recorder.stop(), 'BAD_REQUEST');
  });

  it('finish() completes a recording and refuses new ones', async () => {
    await show('recording-static.html');
    const recorder = newRecorder();
    const path = join(dir, 'finished.mp4');
    await recorder.start(browser.page, { path, framerate: 30 });
    await delay(1500);

    await recorder.finish();

    expect(recorder.status()).toBeNull();
    expect(probeVideo(path).errors).toBe('');
    expect(processesMentioning(path)).toEqual([]);
    await expectCode(
      recorder.start(browser.page, { path: join(dir, 'late.mp4'), framerate: 30 }),
      'SHUTTING_DOWN',
    );
    expect(readdirSync(dir)).toEqual(['finished.mp4']);
  });
});
