import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { LaunchRequests } from '../../electron/host/launch-requests';
import { createMonitorBridge } from '../../electron/host/monitor-bridge';
import { SessionMonitor } from '../../electron/host/session-monitor';
import { Teardown } from '../../electron/host/teardown';
import {
  runTrayAction,
  stopAllNames,
  stopSessions,
  type TrayActionTargets,
} from '../../electron/host/tray-actions';
import { FakeSession } from './fake-session';
import { statePhase, waitFor } from './host-test-kit';

let home: string;
let monitor: SessionMonitor;
const fakes: FakeSession[] = [];
let opened: Array<{ newSession: boolean }>;
let warnings: Array<{ message: string; detail: string }>;
let quits: number;
let hosted: string[];

function targets(): TrayActionTargets {
  return {
    openDashboard: (request) => opened.push(request),
    bridge: createMonitorBridge({
      home,
      monitor,
      newSession: async () => undefined,
      log: silentLogger(),
    }),
    snapshot: () => monitor.current(),
    hostedSessions: () => hosted,
    requestQuit: () => {
      quits += 1;
    },
    warn: async (message, detail) => {
      warnings.push({ message, detail });
    },
    log: silentLogger(),
  };
}

async function fake(name: string): Promise<FakeSession> {
  const session = await FakeSession.start(home, name);
  fakes.push(session);
  return session;
}

function shutdowns(session: FakeSession): number {
  return session.actions().filter((action) => action === 'shutdown').length;
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'btray-tray-actions-'));
  monitor = new SessionMonitor({ home, log: silentLogger() });
  opened = [];
  warnings = [];
  quits = 0;
  hosted = [];
});

afterEach(() => {
  monitor.stop();
  for (const session of fakes.splice(0)) session.crash();
  rmSync(home, { recursive: true, force: true });
});

describe('tray actions', () => {
  it('opens the dashboard, with the new-session form for New session…, and asks to quit', () => {
    const to = targets();

    runTrayAction({ kind: 'open-dashboard' }, to);
    runTrayAction({ kind: 'new-session' }, to);
    runTrayAction({ kind: 'quit' }, to);

    expect(opened).toEqual([{ newSession: false }, { newSession: true }]);
    expect(quits).toBe(1);
  });

  it('Stop all stops the sessions shown and those hosted but not seen yet, each once', async () => {
    const shown = await fake('shown');
    await monitor.refresh();
    const fresh = await fake('fresh');
    hosted = ['shown', 'fresh'];

    expect(stopAllNames(monitor.current(), hosted)).toEqual(['shown', 'fresh']);
    await stopSessions(stopAllNames(monitor.current(), hosted), targets());

    expect(shutdowns(shown)).toBe(1);
    expect(shutdowns(fresh)).toBe(1);
    expect(warnings).toEqual([]);
    await waitFor('both stopped', () =>
      ['shown', 'fresh'].every((name) => statePhase(home, name) === 'stopped'),
    );
  });

  it('shows every session it could not stop in one warning', async () => {
    const work = await fake('work');

    await stopSessions(['work', 'nobody', 'ghost'], targets());

    expect(shutdowns(work)).toBe(1);
    await waitFor('work stopped', () => statePhase(home, 'work') === 'stopped');
    expect(warnings).toEqual([
      {
        message: 'Could not stop every session',
        detail:
          'nobody: session nobody is not running (it has no token file)\n' +
          'ghost: session ghost is not running (it has no token file)',
      },
    ]);
  });
});

describe('launch requests', () => {
  it('holds a request that comes before the dashboard can show, then serves each one', () => {
    const launches = new LaunchRequests();
    let shown = 0;

    launches.request();
    launches.request();
    launches.attach(() => {
      shown += 1;
    });
    expect(shown).toBe(1);

    launches.request();
    expect(shown).toBe(2);
  });
});

describe('Teardown', () => {
  it('runs the steps newest first, once, past a step that throws', () => {
    const ran: string[] = [];
    const teardown = new Teardown(silentLogger());
    teardown.add(() => ran.push('first'));
    teardown.add(() => {
      throw new Error('broken step');
    });
    teardown.add(() => ran.push('last'));

    teardown.run();
    teardown.run();

    expect(ran).toEqual(['last', 'first']);
  });
});
