import { BrowserWindow, type BrowserWindowConstructorOptions, protocol, session } from 'electron';
import { BRIDGE_CHANNELS, NEW_SESSION_HASH } from '../shared/bridge';
import type { Logger } from './daemon/logger';
import {
  RENDERER_HOST,
  RENDERER_SCHEME,
  RENDERER_URL,
  serveRendererRequest,
} from './host/renderer-protocol';

/**
 * Everything the dashboard page could use to reach beyond itself is off: no Node, an
 * isolated and sandboxed preload, web security on, no webviews, no navigation.
 */
export function dashboardWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 520,
    height: 680,
    minWidth: 360,
    minHeight: 320,
    show: false,
    title: 'Browser Tray',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * Before `ready`: our scheme is standard (relative URLs resolve) and secure. Not
 * `corsEnabled`: the page only loads its own files, and that privilege would let pages
 * of other origins read ours.
 */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: RENDERER_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

/** After `ready`: serve the built renderer and refuse every permission the page asks. */
export function setupRendererProtocol(staticDir: string): void {
  protocol.handle(RENDERER_SCHEME, (request) => serveRendererRequest(request, staticDir));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export interface DashboardWindowOptions {
  /** The preload bundle, `dist/preload.cjs`. */
  preload: string;
  log: Logger;
}

/** What the dashboard should show when it comes up. */
export interface DashboardRequest {
  /** Open the new-session form (the tray's New session…). */
  newSession?: boolean;
}

/**
 * The dashboard window: created on demand, destroyed when closed (the app stays in the
 * tray), at most one at a time. Navigation, new windows and webviews are refused for
 * every web contents by the guard in web-contents-guard.ts.
 */
export class DashboardWindow {
  private window: BrowserWindow | undefined;

  constructor(private readonly options: DashboardWindowOptions) {}

  /** Shows and focuses the window, creating it when it is not open. */
  open(request: DashboardRequest = {}): void {
    const window = this.window;
    if (!window || window.isDestroyed()) {
      this.window = this.create(
        request.newSession ? `${RENDERER_URL}${NEW_SESSION_HASH}` : RENDERER_URL,
      );
      return;
    }

    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (!request.newSession) return;
    // A page still loading would miss the message: it goes out once the page is there.
    const contents = window.webContents;
    const ask = () => contents.send(BRIDGE_CHANNELS.newSessionRequested);
    if (contents.isLoading()) contents.once('did-finish-load', ask);
    else ask();
  }

  /** The web contents IPC is accepted from; undefined while no window is open. */
  get webContentsId(): number | undefined {
    if (!this.window || this.window.isDestroyed()) return undefined;
    return this.window.webContents.id;
  }

  send(channel: string, payload: unknown): void {
    if (!this.window || this.window.isDestroyed()) return;
    this.window.webContents.send(channel, payload);
  }

  destroy(): void {
    if (this.window && !this.window.isDestroyed()) this.window.destroy();
    this.window = undefined;
  }

  private create(url: string): BrowserWindow {
    const { log } = this.options;
    const window = new BrowserWindow(dashboardWindowOptions(this.options.preload));

    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.loadURL(url).catch((error: unknown) => {
      log.error(
        { err: error, host: RENDERER_HOST },
        'DashboardWindow - the dashboard did not load',
      );
    });
    return window;
  }
}
