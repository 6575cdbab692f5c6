import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { INVOKE_CHANNELS, PATH_REFUSED } from '../../electron/host/bridge-ipc';
import { ipcSenderProblem } from '../../electron/host/ipc-sender-guard';
import { createMonitorBridge } from '../../electron/host/monitor-bridge';
import { SessionHost } from '../../electron/host/session-host';
import { SessionMonitor } from '../../electron/host/session-monitor';
import { setupIpc } from '../../electron/ipc';
import { BRIDGE_CHANNELS } from '../../shared/bridge';
import type { StatusData } from '../../shared/protocol';
import type { DashboardSnapshot } from '../../shared/snapshot';
import { askSession, daemonEnv, makeHome } from '../host/host-test-kit';
import { ipcMain, resetStandIn } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

const DASHBOARD_ID = 7;
const DASHBOARD_URL = 'btray://dashboard/index.html';

let home: string;
let host: SessionHost;
let monitor: SessionMonitor;
let dispose: () => void;
let windowOpen: boolean;

beforeEach(async () => {
  resetStandIn();
  home = makeHome('ipc');
  host = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
  monitor = new SessionMonitor({ home, log: silentLogger(), pollIntervalMs: 200 });
  monitor.start();
  const bridge = createMonitorBridge({
    home,
    monitor,
    newSession: async (name) => {
      await host.create(name);
    },
    log: silentLogger(),
  });
  windowOpen = true;
  dispose = setupIpc({
    bridge,
    snapshot: () => monitor.refresh(),
    trustedWebContentsId: () => (windowOpen ? DASHBOARD_ID : undefined),
    log: silentLogger(),
  });
  await host.create('watched');
});

afterEach(async () => {
  dispose();
  monitor.stop();
  await host.stopAll(20_000);
  rmSync(home, { recursive: true, force: true });
});

function event(senderId: number, frameUrl: string | null) {
  return { sender: { id: senderId }, senderFrame: frameUrl === null ? null : { url: frameUrl } };
}

function invoke(channel: string, sender: ReturnType<typeof event>, ...args: unknown[]) {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler on ${channel}`);
  return Promise.resolve().then(() => handler(sender, ...args));
}

async function keepOpen(): Promise<boolean> {
  const status = await askSession(home, 'watched', 'status');
  return status.success && (status.data as StatusData).keep_open;
}

describe('IPC channels', () => {
  it('handles exactly the bridge channels the renderer invokes, never the pushes to it', () => {
    const pushes: string[] = [BRIDGE_CHANNELS.snapshot, BRIDGE_CHANNELS.newSessionRequested];
    const expected = Object.values(BRIDGE_CHANNELS).filter((c) => !pushes.includes(c));

    expect([...ipcMain.handlers.keys()].sort()).toEqual([...expected].sort());
    expect([...INVOKE_CHANNELS].sort()).toEqual([...expected].sort());
  });

  it('removes every handler when disposed', () => {
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    dispose = () => undefined;
  });
});

describe('IPC sender check', () => {
  it('runs a call from the dashboard window on the real session', async () => {
    const result = await invoke(
      BRIDGE_CHANNELS.setKeepOpen,
      event(DASHBOARD_ID, DASHBOARD_URL),
      'watched',
      true,
    );

    expect(result).toEqual({ ok: true });
    expect(await keepOpen()).toBe(true);
  });

  it('answers the first snapshot with the hosted session in it', async () => {
    const snapshot = (await invoke(
      BRIDGE_CHANNELS.requestSnapshot,
      event(DASHBOARD_ID, DASHBOARD_URL),
    )) as DashboardSnapshot;

    expect(snapshot.sessions.map((session) => [session.name, session.host])).toEqual([
      ['watched', 'tray'],
    ]);
  });

  it('refuses a foreign web contents, a frame gone elsewhere, and any sender with no window', async () => {
    const foreign = invoke(BRIDGE_CHANNELS.setKeepOpen, event(99, DASHBOARD_URL), 'watched', true);
    const navigated = invoke(
      BRIDGE_CHANNELS.stopSession,
      event(DASHBOARD_ID, 'https://evil.example/'),
      'watched',
    );
    const noFrame = invoke(BRIDGE_CHANNELS.stopSession, event(DASHBOARD_ID, null), 'watched');

    await expect(foreign).rejects.toThrow(/IPC refused: web contents 99/);
    await expect(navigated).rejects.toThrow(/IPC refused: the sending frame shows https:/);
    await expect(noFrame).rejects.toThrow(/IPC refused: the sending frame is gone/);
    windowOpen = false;
    await expect(
      invoke(BRIDGE_CHANNELS.stopSession, event(DASHBOARD_ID, DASHBOARD_URL), 'watched'),
    ).rejects.toThrow(/no dashboard window/);

    expect(await keepOpen()).toBe(false);
    expect(host.has('watched')).toBe(true);
  });

  it('answers bad arguments from the page with a refusal, not a call', async () => {
    const sender = event(DASHBOARD_ID, DASHBOARD_URL);

    const badOn = await invoke(BRIDGE_CHANNELS.setKeepOpen, sender, 'watched', 'yes');
    const badName = await invoke(BRIDGE_CHANNELS.stopSession, sender, '../watched');
    const notString = await invoke(BRIDGE_CHANNELS.newSession, sender, { name: 'x' });
    const withPath = await invoke(
      BRIDGE_CHANNELS.startRecording,
      sender,
      'watched',
      '/tmp/elsewhere/victim.txt',
    );

    expect(badOn).toEqual({ ok: false, error: 'on must be true or false' });
    expect(badName).toMatchObject({ ok: false });
    expect(notString).toEqual({ ok: false, error: 'the session name must be a string' });
    expect(withPath).toEqual({ ok: false, error: PATH_REFUSED });
    expect(await keepOpen()).toBe(false);
  });

  it('stops a session when the dashboard window asks', async () => {
    const result = await invoke(
      BRIDGE_CHANNELS.stopSession,
      event(DASHBOARD_ID, DASHBOARD_URL),
      'watched',
    );

    expect(result).toEqual({ ok: true });
    await vi.waitFor(() => expect(host.has('watched')).toBe(false), { timeout: 10_000 });
  });
});

describe('ipcSenderProblem', () => {
  const trusted = { webContentsId: 3, protocol: 'btray:', host: 'dashboard' };

  it('accepts any frame of the dashboard window that shows the dashboard', () => {
    expect(
      ipcSenderProblem({ webContentsId: 3, frameUrl: DASHBOARD_URL }, trusted),
    ).toBeUndefined();
    expect(
      ipcSenderProblem({ webContentsId: 3, frameUrl: 'btray://dashboard/sub/frame.html' }, trusted),
    ).toBeUndefined();
  });

  it('refuses another host on our scheme, file URLs and garbage', () => {
    for (const frameUrl of ['btray://evil/index.html', 'file:///etc/passwd', 'not a url']) {
      expect(ipcSenderProblem({ webContentsId: 3, frameUrl }, trusted), frameUrl).toBeDefined();
    }
  });
});
