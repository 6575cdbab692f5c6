import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { askTrayHost } from '../../electron/daemon/host-control-client';
import { hostControlPaths } from '../../electron/daemon/host-control-paths';
import { silentLogger } from '../../electron/daemon/logger';
import { sessionPaths } from '../../electron/daemon/paths';
import { HostControlServer } from '../../electron/host/host-control-server';
import { RENDERER_URL } from '../../electron/host/renderer-protocol';
import { SessionHost } from '../../electron/host/session-host';
import { startTrayApp, type TrayApp } from '../../electron/tray-app';
import { BRIDGE_CHANNELS, NEW_SESSION_HASH } from '../../shared/bridge';
import type { StatusData } from '../../shared/protocol';
import { askSession, daemonEnv, makeHome, statePhase, waitFor } from '../host/host-test-kit';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  resetStandIn,
  type StandInMenuItem,
  Tray,
} from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

const ROOT = join(__dirname, '..', '..');

let home: string;
let tray: TrayApp | undefined;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeEach(() => {
  resetStandIn();
  home = makeHome('tray');
  tray = undefined;
});

afterEach(async () => {
  // A test that did not quit the app leaves its sessions to stop here.
  if (tray && app.exitCodes.length === 0) {
    await tray.quit.requestQuit(false);
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
  rmSync(home, { recursive: true, force: true });
});

function start(): Promise<TrayApp | undefined> {
  return startTrayApp({
    env: daemonEnv(home),
    bundleDir: join(ROOT, 'dist'),
    iconDir: join(ROOT, 'build', 'tray'),
  });
}

function menuItems(): StandInMenuItem[] {
  return Tray.created[0]?.menu?.items ?? [];
}

function menuLabels(): string[] {
  return menuItems().map((item) => item.label ?? '---');
}

function click(label: string): void {
  const item = menuItems().find((candidate) => candidate.label === label);
  if (!item?.click) throw new Error(`no clickable ${label} in ${menuLabels().join(' | ')}`);
  item.click();
}

function request(session: string) {
  return { session, headed: false, profile: null, cdpUrl: null, idleTimeoutS: null };
}

describe('tray app start-up and quit (Electron stand-in, real sessions)', () => {
  it('hosts the default session, lands CLI sessions in the tray, and quits cleanly', async () => {
    tray = await start();
    expect(tray).toBeDefined();
    expect(app.dockHidden).toBe(true);

    expect(statePhase(home, 'default')).toBe('ready');
    expect((await askSession(home, 'default', 'ping')).success).toBe(true);
    await vi.waitFor(() => expect(menuLabels()).toContain('default — ready'), { timeout: 10_000 });

    expect(await askTrayHost(home, request('work'))).toBe('created');
    const state = JSON.parse(readFileSync(sessionPaths(home, 'work').state, 'utf8'));
    expect(state.host).toBe('tray');
    await vi.waitFor(() => expect(menuLabels()).toContain('Stop work'), { timeout: 10_000 });

    click('Stop work');
    await waitFor('work to stop', () => statePhase(home, 'work') === 'stopped');
    await vi.waitFor(() => expect(menuLabels()).not.toContain('Stop work'), { timeout: 10_000 });
    expect(tray?.host.has('default')).toBe(true);

    click('Quit Browser Tray');
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);

    expect(app.exitCodes).toEqual([0]);
    expect(dialog.messageBoxes).toEqual([]);
    expect(statePhase(home, 'default')).toBe('stopped');
    expect(existsSync(hostControlPaths(home).socket)).toBe(false);
    expect(existsSync(hostControlPaths(home).token)).toBe(false);
    expect(Tray.created[0]?.isDestroyed()).toBe(true);
    expect(ipcMain.handlers.size).toBe(0);
    expect(await askTrayHost(home, request('late'))).toBe('no-host');
  });

  it('opens the dashboard from the menu and a second launch, and serves it over IPC', async () => {
    tray = await start();

    click('Open dashboard');
    const window = BrowserWindow.created[0];
    expect(window?.loadedUrl).toBe(RENDERER_URL);
    await vi.waitFor(
      () =>
        expect(window?.webContents.sent.some((m) => m.channel === BRIDGE_CHANNELS.snapshot)).toBe(
          true,
        ),
      { timeout: 10_000 },
    );

    const handler = ipcMain.handlers.get(BRIDGE_CHANNELS.setKeepOpen);
    const fromWindow = { sender: window?.webContents, senderFrame: { url: RENDERER_URL } };
    expect(await handler?.(fromWindow, 'default', true)).toEqual({ ok: true });
    const status = await askSession(home, 'default', 'status');
    expect(status.success && (status.data as StatusData).keep_open).toBe(true);

    window?.close();
    app.emit('second-instance');
    expect(BrowserWindow.created).toHaveLength(2);
    expect(app.quitCalls).toBe(0);
  });

  it('New session… opens the dashboard with its form open, whose form names the session', async () => {
    tray = await start();

    click('New session…');

    expect(BrowserWindow.created).toHaveLength(1);
    const window = BrowserWindow.created[0];
    expect(window?.loadedUrl).toBe(`${RENDERER_URL}${NEW_SESSION_HASH}`);
    click('New session…');
    expect(window?.webContents.sent.map((m) => m.channel)).toContain(
      BRIDGE_CHANNELS.newSessionRequested,
    );

    const handler = ipcMain.handlers.get(BRIDGE_CHANNELS.newSession);
    const fromWindow = { sender: window?.webContents, senderFrame: { url: RENDERER_URL } };
    expect(await handler?.(fromWindow, 'from-form')).toEqual({ ok: true });
    expect(tray?.host.has('from-form')).toBe(true);
  });

  it('shows the dashboard for a second launch during start-up, and for macOS activate', async () => {
    const starting = start();
    app.emit('second-instance');
    tray = await starting;

    expect(BrowserWindow.created).toHaveLength(1);
    BrowserWindow.created[0]?.close();
    app.emit('activate');
    expect(BrowserWindow.created).toHaveLength(2);
  });

  it('sets no application menu, so Alt opens no default menu with DevTools', async () => {
    tray = await start();

    expect(Menu.applicationMenu).toBeNull();
  });

  it('says in the tray that it is quitting while the sessions stop', async () => {
    tray = await start();
    const trayIcon = Tray.created[0];

    click('Quit Browser Tray');
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);

    expect(trayIcon?.toolTips).toContain('Browser Tray — quitting: closing the browsers…');
  });

  it('Stop all stops every session, the tray keeps running', async () => {
    tray = await start();
    await tray?.host.create('second');
    await vi.waitFor(() => expect(menuLabels()).toContain('Stop second'), { timeout: 10_000 });

    click('Stop all');
    await waitFor('both to stop', () => tray?.host.list().length === 0);

    expect(statePhase(home, 'default')).toBe('stopped');
    expect(statePhase(home, 'second')).toBe('stopped');
    expect(app.exitCodes).toEqual([]);
    expect(await askTrayHost(home, request('again'))).toBe('created');
  });

  it('refuses to start on a home folder another tray host owns', async () => {
    const otherHost = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
    const other = new HostControlServer({ home, host: otherHost, log: silentLogger() });
    await other.start();
    cleanups.push(() => other.close());

    const started = await start();

    expect(started).toBeUndefined();
    expect(app.exitCodes).toEqual([1]);
    expect(dialog.errorBoxes[0]?.content).toMatch(/Another tray host/);
    expect(existsSync(sessionPaths(home, 'default').state)).toBe(false);
  });
});

describe('main entry', () => {
  it('quits at once when another instance holds the lock, starting nothing', async () => {
    app.singleInstanceLock = false;
    vi.stubEnv('BROWSER_TRAY_HOME', home);
    cleanups.push(() => vi.unstubAllEnvs());

    await import('../../electron/main');

    expect(app.quitCalls).toBe(1);
    expect(existsSync(hostControlPaths(home).socket)).toBe(false);
    expect(Tray.created).toHaveLength(0);
  });
});
