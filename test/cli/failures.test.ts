import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { BTRAY, btray, closeAll } from '../helpers/cli';
import { sampleStateFile } from '../helpers/state-file-fixture';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
const home = temp.home;

afterAll(() => {
  closeAll(home);
  temp.remove();
});

describe('failures the CLI reports at once', () => {
  it('a daemon that cannot start is reported as soon as it exits, with its reason', async () => {
    // A folder where the socket must go: the daemon's start-up fails.
    mkdirSync(join(home, 'broken.sock'));
    const started = Date.now();
    const result = await btray(home, ['--session', 'broken', 'open', 'about:blank']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The daemon of session "broken" did not start');
    // The start deadline is 30 s: a CLI that waited it out would take that long.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a socket path over the system limit is refused before any file is made', async () => {
    const name = 'n'.repeat(64);
    const long = join(home, 'x'.repeat(60));
    const result = await btray(long, ['--session', name, 'open', 'about:blank']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("over the system's limit");
  });

  it('a session whose browser failed to start takes a corrected --cdp-url instead of refusing it', async () => {
    const first = await btray(home, [
      '--session',
      'cdp',
      '--cdp-url',
      'http://127.0.0.1:1',
      'state',
    ]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('127.0.0.1:1');
    expect(first.stderr).toContain('close it first');

    const second = await btray(home, [
      '--session',
      'cdp',
      '--cdp-url',
      'http://127.0.0.1:2',
      'state',
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).not.toContain('already running');
    expect(second.stderr).toContain('127.0.0.1:2');
  });
});

describe('commands that must not hold a session', () => {
  it('eval of a promise that never settles times out, and the session serves the next command', async () => {
    const stuck = await btray(home, ['eval', '--timeout', '500', 'new Promise(() => {})']);
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toContain('no result within 500 ms');
    const next = await btray(home, ['eval', '1 + 2']);
    expect(next.stdout).toBe('3\n');
    // Nothing was running when it gave up: the page's own scripts are left alone.
    const timer = await btray(home, ['eval', "new Promise((r) => setTimeout(() => r('ran'), 50))"]);
    expect(timer.stdout).toBe('ran\n');
  });

  it('eval of a loop that never ends is stopped at its timeout, so the session recovers', async () => {
    const stuck = await btray(home, ['eval', '--timeout', '500', 'while (true) {}']);
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toContain('no result within 500 ms');

    const started = Date.now();
    const next = await btray(home, ['eval', '1 + 2']);
    expect(next.stdout).toBe('3\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('screenshot without a path prints base64 that decodes to a PNG; status prints text', async () => {
    const shot = await btray(home, ['screenshot']);
    expect(Buffer.from(shot.stdout.trim(), 'base64').subarray(1, 4).toString()).toBe('PNG');
    const status = await btray(home, ['status']);
    expect(status.stdout).toMatch(/^session: default \(pid \d+\)\nphase: running\n/);
  });
});

describe('a CLI that is killed while it waits', () => {
  it('frees the session: the next command does not wait behind the dead one', async () => {
    await btray(home, ['open', 'data:text/html,<p>here</p>']);
    const waiting = spawn(
      process.execPath,
      [BTRAY, 'wait', 'text', 'never', '--timeout', '30000'],
      {
        env: { ...process.env, BROWSER_TRAY_HOME: home },
        stdio: 'ignore',
      },
    );
    await delay(1000);
    waiting.kill('SIGKILL');

    const started = Date.now();
    const next = await btray(home, ['eval', '6 * 7']);
    expect(next.stdout).toBe('42\n');
    // Behind the 30 s wait, this would take 29 s.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a session that is shutting down', () => {
  /**
   * A daemon past its socket (it closes first) but still finishing a recording: this test
   * process stands in for it, so its pid is alive for as long as the test says.
   */
  function finishingRecording(name: string): string {
    const state = join(home, `${name}.state.json`);
    const recording = {
      active: true,
      path: '/videos/demo.mp4',
      framerate: 30,
      started_at: Date.now() / 1000,
      elapsed_s: 12,
      frames: 360,
      size_bytes: 1000,
    };
    writeFileSync(
      state,
      JSON.stringify(sampleStateFile(name, { phase: 'shutting_down', recording })),
    );
    return state;
  }

  it('status and record stop say what it is doing instead of "not running"', async () => {
    const state = finishingRecording('ending');

    const status = await btray(home, ['--session', 'ending', 'status']);
    const stop = await btray(home, ['--session', 'ending', 'record', 'stop']);
    // Done standing in: the suite's close --all would otherwise wait for this one to end.
    writeFileSync(state, JSON.stringify(sampleStateFile('ending', { phase: 'stopped' })));

    expect(status.code).toBe(1);
    expect(status.stderr).toContain(
      'Session "ending" is shutting down: finishing its recording /videos/demo.mp4',
    );
    expect(stop.stderr).toContain('is shutting down');
  });

  it('close waits for it to stop, like a close of its own', async () => {
    const state = finishingRecording('closing');
    const started = Date.now();
    const closing = btray(home, ['--session', 'closing', 'close']);

    await delay(700);
    writeFileSync(state, JSON.stringify(sampleStateFile('closing', { phase: 'stopped' })));
    const closed = await closing;

    expect(closed).toMatchObject({
      code: 0,
      stdout: 'Closed session "closing". Its recording was saved to /videos/demo.mp4.\n',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });
});
