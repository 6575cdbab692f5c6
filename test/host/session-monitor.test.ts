import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { sessionPaths } from '../../electron/daemon/paths';
import { writeStateFile } from '../../electron/daemon/state-file';
import { SessionMonitor } from '../../electron/host/session-monitor';
import type { DashboardSnapshot, SessionSnapshot } from '../../shared/snapshot';
import { sampleStateFile } from '../helpers/state-file-fixture';
import { FakeSession } from './fake-session';
import { askSession } from './host-test-kit';

let home: string;
let monitor: SessionMonitor;
const fakes: FakeSession[] = [];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'btray-monitor-'));
  monitor = new SessionMonitor({
    home,
    log: silentLogger(),
    pollIntervalMs: 200,
    statusTimeoutMs: 300,
  });
});

afterEach(() => {
  monitor.stop();
  for (const fake of fakes.splice(0)) fake.crash();
  rmSync(home, { recursive: true, force: true });
});

async function fake(name: string, options: Parameters<typeof FakeSession.start>[2] = {}) {
  const session = await FakeSession.start(home, name, options);
  fakes.push(session);
  return session;
}

function find(snapshot: DashboardSnapshot, name: string): SessionSnapshot {
  const session = snapshot.sessions.find((candidate) => candidate.name === name);
  if (!session) throw new Error(`no session ${name} in ${JSON.stringify(snapshot.sessions)}`);
  return session;
}

/** Resolves with the first snapshot the monitor emits that satisfies `test`. */
function nextSnapshot(test: (snapshot: DashboardSnapshot) => boolean): Promise<DashboardSnapshot> {
  return new Promise((resolve) => {
    const unsubscribe = monitor.subscribe((snapshot) => {
      if (!test(snapshot)) return;
      queueMicrotask(() => unsubscribe());
      resolve(snapshot);
    });
  });
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

describe('SessionMonitor', () => {
  it('merges a live session’s status answer into its snapshot', async () => {
    const session = await fake('work', {
      title: 'Example Domain',
      url: 'https://example.com/',
      idleTimeoutS: 600,
      recordingSinceS: 5,
    });

    const snapshot = await monitor.refresh();

    const work = find(snapshot, 'work');
    expect(work).toMatchObject({
      phase: 'running',
      host: 'headless',
      pid: process.pid,
      unresponsive: false,
      problem: null,
      title: 'Example Domain',
      url: 'https://example.com/',
      idle_timeout_s: 600,
      keep_open: false,
    });
    expect(work.idle_seconds_left).toBeGreaterThan(590);
    expect(work.recording?.path).toBe(join(home, 'work.mp4'));
    expect(work.recording?.elapsed_s).toBeGreaterThanOrEqual(5);
    expect(session.actions()).toEqual(['status']);
  });

  it('shows a corrupt state file as unreadable, with a reason in words', async () => {
    writeFileSync(sessionPaths(home, 'broken').state, '{"schema": 1, "phase": ');

    const broken = find(await monitor.refresh(), 'broken');

    expect(broken).toMatchObject({ unreadable: true, gone: false, host: 'unknown' });
    expect(broken.problem).toBe('its state file is damaged (not JSON)');
  });

  it('shows a state file of an unknown schema as unreadable, saying why', async () => {
    const future = { ...sampleStateFile('future', {}), schema: 99 };
    writeFileSync(sessionPaths(home, 'future').state, JSON.stringify(future));

    const session = find(await monitor.refresh(), 'future');

    expect(session.unreadable).toBe(true);
    expect(session.problem).toBe(
      'its state file is from another version of Browser Tray (schema 99)',
    );
  });

  it('says a state file that is a folder is one, without the raw error text', async () => {
    mkdirSync(sessionPaths(home, 'folder').state);

    const session = find(await monitor.refresh(), 'folder');

    expect(session.unreadable).toBe(true);
    expect(session.problem).toBe('its state file is a folder, not a file');
  });

  it('shows a recently stopped session without asking its socket; hides an old one', async () => {
    writeStateFile(
      sessionPaths(home, 'recent').state,
      sampleStateFile('recent', { phase: 'stopped' }),
    );
    const old = sessionPaths(home, 'old').state;
    writeStateFile(old, sampleStateFile('old', { phase: 'stopped' }));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);

    const snapshot = await monitor.refresh();

    expect(snapshot.sessions.map((session) => session.name)).toEqual(['recent']);
    expect(find(snapshot, 'recent')).toMatchObject({ phase: 'stopped', unresponsive: false });
  });

  it('carries why a session ended only when it ended by itself', async () => {
    const stopped = (name: string, byItself: boolean) =>
      writeStateFile(
        sessionPaths(home, name).state,
        sampleStateFile(name, {
          phase: 'stopped',
          stop_reason: byItself ? 'browser gone: it crashed' : 'signal SIGTERM',
          stopped_by_itself: byItself,
        }),
      );
    stopped('crashed', true);
    stopped('killed', false);

    const snapshot = await monitor.refresh();

    expect(find(snapshot, 'crashed').ended_because).toBe('browser gone: it crashed');
    expect(find(snapshot, 'killed').ended_because).toBeNull();
  });

  it('marks a live session whose socket does not answer as unresponsive', async () => {
    const session = await fake('crashed');
    session.crash();

    const crashed = find(await monitor.refresh(), 'crashed');

    expect(crashed.phase).toBe('running');
    expect(crashed.unresponsive).toBe(true);
    expect(crashed.problem).toMatch(/^no answer on the session socket/);
  });

  it('says when the process behind a live state file is gone, and records nothing', async () => {
    const pid = deadPid();
    const recording = {
      active: true,
      path: join(home, 'ghost.mp4'),
      framerate: 10,
      started_at: Date.now() / 1000 - 30,
      elapsed_s: 30,
      frames: 300,
      size_bytes: 1000,
    };
    writeStateFile(
      sessionPaths(home, 'ghost').state,
      sampleStateFile('ghost', { pid, phase: 'running', recording }),
    );
    writeFileSync(sessionPaths(home, 'ghost').token, 'a'.repeat(64));

    const ghost = find(await monitor.refresh(), 'ghost');

    expect(ghost).toMatchObject({ gone: true, unresponsive: true, recording: null });
    expect(ghost.problem).toBe(`its process ${pid} is gone`);
  });

  it('says a failed session whose process exited is gone', async () => {
    const pid = deadPid();
    writeStateFile(
      sessionPaths(home, 'crashed').state,
      sampleStateFile('crashed', { pid, phase: 'failed', error: 'Chromium did not start' }),
    );

    const crashed = find(await monitor.refresh(), 'crashed');

    expect(crashed).toMatchObject({ gone: true, unresponsive: false, phase: 'failed' });
    expect(crashed.problem).toBe(`Chromium did not start; its process ${pid} is gone`);
  });

  it('reports a missing token instead of asking the socket', async () => {
    const session = await fake('tokenless');
    rmSync(session.paths.token);

    const tokenless = find(await monitor.refresh(), 'tokenless');

    expect(tokenless.unresponsive).toBe(true);
    expect(tokenless.problem).toMatch(/^cannot read the session token/);
    expect(session.actions()).toEqual([]);
  });

  it('gives up on a session that answers too slowly, without holding up the others', async () => {
    await fake('slow', { statusDelayMs: 1500 });
    await fake('quick', { title: 'Quick' });

    const started = Date.now();
    const snapshot = await monitor.refresh();

    expect(Date.now() - started).toBeLessThan(2000);
    expect(find(snapshot, 'slow').unresponsive).toBe(true);
    expect(find(snapshot, 'quick')).toMatchObject({ unresponsive: false, title: 'Quick' });
  });

  it('ignores files whose names are not session names', async () => {
    writeFileSync(join(home, 'not a session.state.json'), '{}');
    writeFileSync(join(home, 'notes.txt'), 'hello');

    expect((await monitor.refresh()).sessions).toEqual([]);
  });

  it('emits a snapshot when a session appears, changes phase and stops', async () => {
    monitor.start();
    await nextSnapshot((snapshot) => snapshot.sessions.length === 0);

    const appeared = nextSnapshot((snapshot) => snapshot.sessions.length === 1);
    const session = await fake('late', { title: 'Late' });
    expect(find(await appeared, 'late').phase).toBe('running');

    const stopped = nextSnapshot((snapshot) => find(snapshot, 'late').phase === 'stopped');
    session.stop();
    expect(find(await stopped, 'late')).toMatchObject({ phase: 'stopped', unresponsive: false });
  });

  it('keeps emitting while nothing changes, so countdowns stay right', async () => {
    const heartbeat = new SessionMonitor({
      home,
      log: silentLogger(),
      pollIntervalMs: 100,
      heartbeatMs: 300,
    });
    const times: number[] = [];
    heartbeat.subscribe((snapshot) => times.push(snapshot.taken_at));
    heartbeat.start();

    await new Promise((resolve) => setTimeout(resolve, 1500));
    heartbeat.stop();

    // One every 300 ms, give or take a busy event loop; not one per 100 ms poll.
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(7);
  });

  it('does not push a snapshot per poll when only the clocks move', async () => {
    await fake('ticking', { idleTimeoutS: 600, recordingSinceS: 5 });
    const quiet = new SessionMonitor({
      home,
      log: silentLogger(),
      pollIntervalMs: 100,
      heartbeatMs: 10_000,
    });
    const seen: DashboardSnapshot[] = [];
    quiet.subscribe((snapshot) => seen.push(snapshot));
    quiet.start();

    try {
      // Long enough for the idle clock to move twice and the recording's to move each poll.
      await new Promise((resolve) => setTimeout(resolve, 2300));
      expect(seen).toHaveLength(1);
      expect((await quiet.refresh()).sessions[0]?.recording?.elapsed_s).toBeGreaterThan(6);

      // A real change still goes out at once.
      await askSession(home, 'ticking', 'keep_open', { on: true });
      await expect.poll(() => seen.length, { timeout: 2000 }).toBe(2);
      expect(seen[1]?.sessions[0]?.keep_open).toBe(true);
    } finally {
      quiet.stop();
    }
  });

  it('survives a home folder that does not exist yet, and follows it once created', async () => {
    const later = join(home, 'later');
    const watcher = new SessionMonitor({ home: later, log: silentLogger(), pollIntervalMs: 100 });
    const seen: DashboardSnapshot[] = [];
    watcher.subscribe((snapshot) => seen.push(snapshot));
    watcher.start();

    try {
      expect((await watcher.refresh()).sessions).toEqual([]);
      mkdirSync(later);
      fakes.push(await FakeSession.start(later, 'arrived'));
      await expect.poll(() => seen.at(-1)?.sessions.length, { timeout: 3000 }).toBe(1);
    } finally {
      watcher.stop();
    }
  });
});
