import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { btray, type CliResult } from '../helpers/cli';
import { registerCliSuite } from '../helpers/cli-suite';
import { durationProblem, probeVideo } from '../helpers/video';

const suite = registerCliSuite('btray-rec-cli-');

/** Runs the built CLI in `cwd`, as a user in that folder would. */
function btrayIn(cwd: string, home: string, args: string[]): Promise<CliResult> {
  return btray(home, ['--session', 'rec', ...args], {}, cwd);
}

describe('btray record', () => {
  it('starts, reports and stops a recording from separate CLI processes, resolving PATH against the cwd', async () => {
    const home = suite.newHome();
    const cwd = join(home, 'work');
    mkdirSync(cwd);
    const video = join(cwd, 'clip.mp4');

    const opened = await btrayIn(cwd, home, [
      'open',
      suite.fixtures.url('recording-animated.html'),
    ]);
    expect(opened).toMatchObject({ code: 0, stderr: '' });

    const beforeStart = performance.now();
    const started = await btrayIn(cwd, home, ['record', 'start', 'clip.mp4', '--framerate', '20']);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toContain(video);
    const afterStart = performance.now();

    await delay(2000);
    const status = await btrayIn(cwd, home, ['record', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Recording to ${video}`);
    expect(status.stdout).toContain('framerate: 20 fps');
    expect(status.stdout).toMatch(/frames: \d+/);

    await delay(2000);
    const beforeStop = performance.now();
    const stopped = await btrayIn(cwd, home, ['record', 'stop']);
    const afterStop = performance.now();
    expect(stopped).toMatchObject({ code: 0, stderr: '' });
    expect(stopped.stdout).toContain(`Saved ${video}`);
    expect(stopped.stdout).toMatch(/duration: \d+\.\d s/);
    expect(stopped.stdout).toMatch(/frames: \d+/);
    expect(stopped.stdout).toMatch(/size: [\d.]+ (KB|MB)/);

    const probed = probeVideo(video);
    expect(probed.errors).toBe('');
    // Each CLI process takes a moment to start and to exit: the video lasts at least from
    // the start's exit to the stop's launch, and at most from the start's launch to the
    // stop's exit.
    expect(probed.durationS).toBeGreaterThanOrEqual((0.9 * (beforeStop - afterStart)) / 1000);
    expect(probed.durationS).toBeLessThanOrEqual((1.1 * (afterStop - beforeStart)) / 1000);
    const reported = Number(/duration: (\d+\.\d) s/.exec(stopped.stdout)?.[1]);
    expect(durationProblem(probed.durationS, reported, 0.05)).toBe('');

    const again = await btrayIn(cwd, home, ['record', 'stop']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Not recording');
  });

  it('close --all finishes the recording before it returns', async () => {
    const home = suite.newHome();
    const video = join(home, 'closed.mp4');
    const opened = await btrayIn(home, home, ['open', suite.fixtures.url('recording-static.html')]);
    expect(opened.code).toBe(0);
    const beforeStart = performance.now();
    const started = await btrayIn(home, home, ['record', 'start', video]);
    expect(started.code).toBe(0);
    const afterStart = performance.now();
    await delay(4000);

    const beforeClose = performance.now();
    const closed = await btrayIn(home, home, ['close', '--all']);
    const afterClose = performance.now();
    expect(closed).toMatchObject({ code: 0, stderr: '' });
    expect(closed.stdout).toContain(`Its recording was saved to ${video}.`);

    const probed = probeVideo(video);
    expect(probed.errors).toBe('');
    expect(probed.durationS).toBeGreaterThanOrEqual((0.9 * (beforeClose - afterStart)) / 1000);
    expect(probed.durationS).toBeLessThanOrEqual((1.1 * (afterClose - beforeStart)) / 1000);
  });

  it('refuses a framerate out of range as a usage error, without asking the daemon', async () => {
    const home = suite.newHome();
    const result = await btrayIn(home, home, ['record', 'start', 'x.mp4', '--framerate', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--framerate');
  });
});
