import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import {
  DashboardWindow,
  dashboardWindowOptions,
  registerRendererScheme,
  setupRendererProtocol,
} from '../../electron/dashboard-window';
import { DASHBOARD_CSP } from '../../electron/host/dashboard-server';
import { RENDERER_URL } from '../../electron/host/renderer-protocol';
import { setupBeforeReady } from '../../electron/tray-app';
import { setupWebContentsGuard } from '../../electron/web-contents-guard';
import { BRIDGE_CHANNELS, NEW_SESSION_HASH } from '../../shared/bridge';
import {
  app,
  BrowserWindow,
  preventable,
  protocol,
  resetStandIn,
  StandInWebContents,
  session,
} from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let staticDir: string;

beforeEach(() => {
  resetStandIn();
  staticDir = mkdtempSync(join(tmpdir(), 'btray-renderer-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Dash</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
});

afterEach(() => rmSync(staticDir, { recursive: true, force: true }));

function onlyWindow(): BrowserWindow {
  expect(BrowserWindow.created).toHaveLength(1);
  return BrowserWindow.created[0] as BrowserWindow;
}

describe('dashboard window security', () => {
  it('isolates and sandboxes the page, with no Node and web security on', () => {
    const options = dashboardWindowOptions('/app/dist/preload.cjs');

    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('refuses navigation, redirects, webviews and new windows in every web contents', () => {
    setupWebContentsGuard(silentLogger());
    new DashboardWindow({ preload: 'p.cjs', log: silentLogger() }).open();
    const other = new StandInWebContents();
    app.emit('web-contents-created', preventable(), other);

    for (const contents of [onlyWindow().webContents, other]) {
      const events = ['will-navigate', 'will-redirect', 'will-attach-webview'].map((name) => {
        const event = preventable();
        contents.emit(name, event, 'https://elsewhere.example/');
        return [name, event.defaultPrevented];
      });

      expect(events).toEqual([
        ['will-navigate', true],
        ['will-redirect', true],
        ['will-attach-webview', true],
      ]);
      expect(contents.windowOpenHandler?.({ url: 'https://popup.example/' })).toEqual({
        action: 'deny',
      });
    }
  });

  it('loads the dashboard from our own scheme and shows it when ready', async () => {
    new DashboardWindow({ preload: 'p.cjs', log: silentLogger() }).open();
    const window = onlyWindow();

    await vi.waitFor(() => expect(window.shown).toBe(true));
    expect(window.loadedUrl).toBe(RENDERER_URL);
  });

  it('opens with the new-session form when asked, at once or once the page has loaded', () => {
    const dashboard = new DashboardWindow({ preload: 'p.cjs', log: silentLogger() });
    dashboard.open({ newSession: true });
    const window = onlyWindow();
    expect(window.loadedUrl).toBe(`${RENDERER_URL}${NEW_SESSION_HASH}`);

    const asked = () =>
      window.webContents.sent.filter((m) => m.channel === BRIDGE_CHANNELS.newSessionRequested);
    window.webContents.loading = true;
    dashboard.open({ newSession: true });
    expect(asked()).toHaveLength(0);
    window.webContents.finishLoading();
    expect(asked()).toHaveLength(1);

    dashboard.open({ newSession: true });
    dashboard.open();
    expect(asked()).toHaveLength(2);
    expect(BrowserWindow.created).toHaveLength(1);
  });

  it('keeps one window: opening again focuses it, closing it does not quit', () => {
    setupBeforeReady();
    const dashboard = new DashboardWindow({ preload: 'p.cjs', log: silentLogger() });
    dashboard.open();
    dashboard.open();
    const window = onlyWindow();
    expect(window.focused).toBe(true);
    expect(dashboard.webContentsId).toBe(window.webContents.id);

    window.close();
    app.emit('window-all-closed');

    expect(app.quitCalls).toBe(0);
    expect(app.listenerCount('window-all-closed')).toBe(1);
    expect(dashboard.webContentsId).toBeUndefined();
    dashboard.open();
    expect(BrowserWindow.created).toHaveLength(2);
  });
});

describe('renderer protocol', () => {
  function serve(url: string, method = 'GET'): Promise<Response> {
    const handler = protocol.handlers.get('btray');
    if (!handler) throw new Error('the btray scheme is not handled');
    return Promise.resolve(handler(new Request(url, { method })));
  }

  it('registers a standard, secure scheme before ready', () => {
    registerRendererScheme();

    expect(protocol.privileged).toEqual([
      expect.objectContaining({
        scheme: 'btray',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    // corsEnabled would let pages of other origins read ours.
    expect(JSON.stringify(protocol.privileged)).not.toContain('corsEnabled');
  });

  it('serves the built renderer with the same strict CSP as the web dashboard', async () => {
    setupRendererProtocol(staticDir);

    const page = await serve(RENDERER_URL);
    const script = await serve('btray://dashboard/assets/app.js');

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Dash</title>');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves nothing outside the renderer folder, on another host, or for POST', async () => {
    setupRendererProtocol(staticDir);
    writeFileSync(join(staticDir, '..', 'btray-secret.txt'), 'secret');

    const answers = await Promise.all([
      serve('btray://dashboard/%2e%2e/btray-secret.txt'),
      serve('btray://dashboard/..%2fbtray-secret.txt'),
      serve('btray://other/index.html'),
      serve('btray://dashboard/missing.js'),
      serve(RENDERER_URL, 'POST'),
    ]);
    rmSync(join(staticDir, '..', 'btray-secret.txt'));

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 405]);
  });

  it('denies every permission the page asks for', () => {
    setupRendererProtocol(staticDir);
    const decisions: boolean[] = [];

    session.defaultSession.permissionRequestHandler?.({}, 'media', (granted) =>
      decisions.push(granted),
    );

    expect(decisions).toEqual([false]);
    expect(session.defaultSession.permissionCheckHandler?.()).toBe(false);
  });
});
