import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { createMonitorBridge } from '../../electron/host/monitor-bridge';
import { SessionMonitor } from '../../electron/host/session-monitor';
import type { DashboardBridge } from '../../shared/bridge';
import { FakeSession } from './fake-session';

/** 2026-04-14 09:30:05 UTC: the file names below follow from it. */
const PINNED = new Date(Date.UTC(2026, 3, 14, 9, 30, 5));
const STAMP = '2026-04-14_09-30-05';

let home: string;
let recordings: string;
let monitor: SessionMonitor;
let bridge: DashboardBridge;
let fake: FakeSession;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'btray-bridge-'));
  recordings = join(home, 'recordings');
  monitor = new SessionMonitor({ home, log: silentLogger() });
  bridge = createMonitorBridge({
    home,
    monitor,
    newSession: async () => undefined,
    now: () => PINNED,
    log: silentLogger(),
  });
  fake = await FakeSession.start(home, 'work');
});

afterEach(() => {
  fake.crash();
  monitor.stop();
  rmSync(home, { recursive: true, force: true });
});

function recordedPaths(): string[] {
  return fake.requests
    .filter((request) => request.action === 'record')
    .map((request) => String(request.params.path));
}

describe('MonitorBridge recordings', () => {
  it('names the file itself in the recordings folder, after the session and the time', async () => {
    expect(await bridge.startRecording('work')).toEqual({ ok: true });

    expect(recordedPaths()).toEqual([join(recordings, `work-${STAMP}.mp4`)]);
    expect(readdirSync(recordings)).toEqual([`work-${STAMP}.mp4`]);
  });

  it('never overwrites a file already there: the next free name is taken', async () => {
    mkdirSync(recordings);
    const taken = join(recordings, `work-${STAMP}.mp4`);
    writeFileSync(taken, 'an earlier video');

    await bridge.startRecording('work');
    await bridge.startRecording('work');

    expect(recordedPaths()).toEqual([
      join(recordings, `work-${STAMP}-2.mp4`),
      join(recordings, `work-${STAMP}-3.mp4`),
    ]);
    expect(readFileSync(taken, 'utf8')).toBe('an earlier video');
  });

  it('leaves no empty file behind when the recording does not start', async () => {
    fake.crash();

    const result = await bridge.startRecording('work');

    expect(result.ok).toBe(false);
    expect(readdirSync(recordings)).toEqual([]);
  });
});
