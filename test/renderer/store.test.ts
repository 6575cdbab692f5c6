import { describe, expect, it } from 'vitest';
import { describeChanges } from '../../renderer/announcements';
import { idleSecondsLeft, recordingElapsedS } from '../../renderer/countdown';
import { fileName, formatBytes, formatClock, spokenDuration } from '../../renderer/format';
import { summarizeSessions } from '../../renderer/session-summary';
import { connectionOf, createDashboardStore, LOST_AFTER_MS } from '../../renderer/store';
import type { ActionResult, DashboardBridge } from '../../shared/bridge';
import type { DashboardSnapshot, SessionSnapshot } from '../../shared/snapshot';

function session(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    name: 'work',
    host: 'headless',
    pid: 42,
    phase: 'running',
    unresponsive: false,
    gone: false,
    unreadable: false,
    config: { headed: false, profile: null, cdp_url: null, use_cloud: false },
    idle_timeout_s: 600,
    idle_seconds_left: 300,
    keep_open: false,
    recording: null,
    url: 'https://example.com/',
    title: 'Example',
    updated_at: 0,
    problem: null,
    ended_because: null,
    ...overrides,
  };
}

function snapshot(...sessions: SessionSnapshot[]): DashboardSnapshot {
  return { taken_at: 0, home: '/home/me/.browser-tray', sessions };
}

/** A bridge whose answers the test decides, one promise per call. */
function scriptedBridge() {
  const calls: string[] = [];
  const answers: ((result: ActionResult) => void)[] = [];
  const answer = (name: string) => {
    calls.push(name);
    return new Promise<ActionResult>((resolve) => answers.push(resolve));
  };
  const bridge: DashboardBridge = {
    subscribe: () => () => undefined,
    stopSession: (name) => answer(`stop ${name}`),
    startRecording: (name) => answer(`record ${name}`),
    stopRecording: (name) => answer(`record-stop ${name}`),
    setKeepOpen: (name, on) => answer(`keep-open ${name} ${on}`),
    newSession: (name) => answer(`new ${name}`),
  };
  const respond = (result: ActionResult) => answers.shift()?.(result);
  return { bridge, calls, respond };
}

describe('dashboard store', () => {
  it('keeps a Stop pending after the answer until a snapshot shows the session ended', async () => {
    const { bridge, calls, respond } = scriptedBridge();
    const store = createDashboardStore(bridge, () => 1000);
    store.getState().receive(snapshot(session()));

    const stopping = store.getState().stopSession('work');
    await store.getState().stopSession('work');
    expect(calls).toEqual(['stop work']);
    expect(store.getState().pending.work).toMatchObject({ kind: 'stop', answered: false });

    respond({ ok: true });
    await stopping;
    expect(store.getState().pending.work).toMatchObject({ kind: 'stop', answered: true });

    store.getState().receive(snapshot(session({ phase: 'shutting_down' })));
    expect(store.getState().pending.work).toBeUndefined();
  });

  it('shows a failed action’s error on its session and frees the buttons', async () => {
    const { bridge, respond } = scriptedBridge();
    const store = createDashboardStore(bridge, () => 1000);
    store.getState().receive(snapshot(session()));

    const recording = store.getState().startRecording('work');
    respond({ ok: false, error: 'ffmpeg was not found' });
    await recording;

    expect(store.getState().pending.work).toBeUndefined();
    expect(store.getState().errors.work).toBe('ffmpeg was not found');
    expect(store.getState().announcement).toBe('work: ffmpeg was not found');

    store.getState().dismissError('work');
    expect(store.getState().errors.work).toBeUndefined();
  });

  it('turns a bridge that throws into an error on screen', async () => {
    const { bridge } = scriptedBridge();
    bridge.setKeepOpen = () => Promise.reject(new Error('IPC channel closed'));
    const store = createDashboardStore(bridge, () => 1000);

    await store.getState().setKeepOpen('work', true);

    expect(store.getState().errors.work).toBe('IPC channel closed');
  });

  it('stops waiting for an effect that never shows', async () => {
    let now = 1000;
    const { bridge, respond } = scriptedBridge();
    const store = createDashboardStore(bridge, () => now);
    store.getState().receive(snapshot(session()));

    const keep = store.getState().setKeepOpen('work', true);
    respond({ ok: true });
    await keep;
    now += 5000;
    store.getState().tick(now);
    expect(store.getState().pending.work).toBeDefined();

    now += 6000;
    store.getState().tick(now);
    expect(store.getState().pending.work).toBeUndefined();
  });

  it('reports the link lost when snapshots stop coming', () => {
    const { bridge } = scriptedBridge();
    const store = createDashboardStore(bridge, () => 10_000);
    expect(connectionOf(store.getState())).toBe('connecting');

    store.getState().receive(snapshot());
    expect(connectionOf(store.getState())).toBe('live');

    store.getState().tick(10_000 + LOST_AFTER_MS + 1);
    expect(connectionOf(store.getState())).toBe('lost');
  });

  it('creates a session and keeps the error of one that did not start', async () => {
    const { bridge, respond } = scriptedBridge();
    const store = createDashboardStore(bridge);

    const first = store.getState().newSession('fresh');
    expect(store.getState().creating).toBe(true);
    respond({ ok: true });
    expect(await first).toBe(true);

    const second = store.getState().newSession('fresh');
    respond({ ok: false, error: 'session fresh is already running' });
    expect(await second).toBe(false);
    expect(store.getState()).toMatchObject({
      creating: false,
      createError: 'session fresh is already running',
    });
  });
});

describe('countdowns', () => {
  it('counts the idle time down between snapshots and never below zero', () => {
    expect(idleSecondsLeft(session({ idle_seconds_left: 300 }), 2500)).toBe(297.5);
    expect(idleSecondsLeft(session({ idle_seconds_left: 2 }), 5000)).toBe(0);
    expect(idleSecondsLeft(session({ keep_open: true }), 1000)).toBeNull();
    expect(idleSecondsLeft(session({ idle_seconds_left: null }), 1000)).toBeNull();
  });

  it('counts a recording’s elapsed time up between snapshots', () => {
    const recording = {
      active: true,
      path: '/tmp/a.mp4',
      framerate: 10,
      started_at: 0,
      elapsed_s: 12,
      frames: 120,
      size_bytes: 0,
    };
    expect(recordingElapsedS(recording, 3000)).toBe(15);
  });

  it('formats clocks, spoken durations, sizes and file names', () => {
    expect(formatClock(247)).toBe('4:07');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(spokenDuration(247)).toBe('4 minutes 7 seconds');
    expect(spokenDuration(3660)).toBe('1 hour 1 minute');
    expect(formatBytes(1_400_000)).toBe('1.4 MB');
    expect(fileName('C:\\videos\\run.mp4')).toBe('run.mp4');
  });
});

/** A recording one second in, for sessions that show one. */
const RECORDING = {
  active: true,
  path: '/tmp/a.mp4',
  framerate: 10,
  started_at: 0,
  elapsed_s: 1,
  frames: 1,
  size_bytes: 0,
};

describe('header summary', () => {
  it('counts running and recording sessions', () => {
    expect(summarizeSessions([])).toBe('No session yet');
    expect(summarizeSessions([session({ recording: RECORDING }), session({ name: 'b' })])).toBe(
      '2 sessions running · 1 recording',
    );
  });

  it('counts a session whose process is gone as neither running nor recording', () => {
    const ghost = session({ name: 'ghost', gone: true, unresponsive: true, recording: RECORDING });
    expect(summarizeSessions([ghost, session({ name: 'live' })])).toBe('1 session running');
  });
});

describe('announcements', () => {
  it('says which sessions came, went, changed phase or started recording', () => {
    const before = snapshot(session(), session({ name: 'old' }));
    const after = snapshot(
      session({ phase: 'shutting_down', recording: RECORDING }),
      session({ name: 'new', phase: 'ready' }),
    );

    expect(describeChanges(before, after)).toBe(
      'work is stopping. work is recording. Session new appeared, ready. ' +
        'Session old is no longer listed.',
    );
  });

  it('says nothing when only the clocks moved', () => {
    const before = snapshot(session({ idle_seconds_left: 300 }));
    const after = snapshot(session({ idle_seconds_left: 299 }));
    expect(describeChanges(before, after)).toBe('');
  });
});
