/**
 * A stand-in for the `electron` module, which cannot load under plain Node: just enough
 * of app, BrowserWindow, Tray, Menu, ipcMain, protocol, dialog and the preload side to
 * run the shell's own code and look at what it asked Electron for. Used with
 * `vi.mock('electron', () => import('./electron-stand-in'))` in the shell tests only.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Preventable {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function preventable(): Preventable {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

class StandInApp extends EventEmitter {
  singleInstanceLock = true;
  quitCalls = 0;
  exitCodes: number[] = [];
  dockHidden = false;
  readonly dock = {
    hide: () => {
      this.dockHidden = true;
    },
  };

  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  getAppPath(): string {
    return join(__dirname, '..', '..');
  }

  /** As Electron does: `before-quit`, then `will-quit` unless prevented, then `quit`. */
  quit(): void {
    this.quitCalls++;
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    const will = preventable();
    this.emit('will-quit', will);
    if (!will.defaultPrevented) this.emit('quit');
  }

  exit(code = 0): void {
    this.exitCodes.push(code);
    this.emit('stand-in:exit', code);
  }
}

export const app = new StandInApp();

export class StandInWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = StandInWebContents.nextId++;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  /** Set by the test: the page is still loading, `did-finish-load` comes later. */
  loading = false;

  send(channel: string, payload?: unknown): void {
    this.sent.push({ channel, payload });
  }

  isLoading(): boolean {
    return this.loading;
  }

  /** As Electron does once the page loaded. */
  finishLoading(): void {
    this.loading = false;
    this.emit('did-finish-load');
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new StandInWebContents();
  loadedUrl: string | undefined;
  shown = false;
  focused = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
    // As Electron does for every web contents, before anyone else sees it.
    app.emit('web-contents-created', preventable(), this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    queueMicrotask(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }

  show(): void {
    this.shown = true;
  }

  focus(): void {
    this.focused = true;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {
    this.shown = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** What closing the window does: it is gone, the app is not. */
  close(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

export interface StandInMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export const Menu = {
  /** What `setApplicationMenu` was last given; undefined until it is called. */
  applicationMenu: undefined as unknown,
  buildFromTemplate(template: StandInMenuItem[]) {
    return { items: template };
  },
  setApplicationMenu(menu: unknown): void {
    Menu.applicationMenu = menu;
  },
};

export class Tray extends EventEmitter {
  static readonly created: Tray[] = [];
  menu: { items: StandInMenuItem[] } | undefined;
  menuBuilds = 0;
  toolTip = '';
  /** Every tooltip set, oldest first. */
  readonly toolTips: string[] = [];
  private destroyed = false;

  constructor(public image: StandInImage) {
    super();
    Tray.created.push(this);
  }

  setContextMenu(menu: { items: StandInMenuItem[] }): void {
    this.menu = menu;
    this.menuBuilds++;
  }

  setToolTip(text: string): void {
    this.toolTip = text;
    this.toolTips.push(text);
  }

  setImage(image: StandInImage): void {
    this.image = image;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export interface StandInImage {
  path: string;
  isEmpty(): boolean;
}

export const nativeImage = {
  createFromPath(path: string): StandInImage {
    return { path, isEmpty: () => !existsSync(path) };
  },
};

class StandInTheme extends EventEmitter {
  shouldUseDarkColors = false;
}

export const nativeTheme = new StandInTheme();

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (ipcMain.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    ipcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    protocol.handlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | undefined,
    permissionCheckHandler: undefined as (() => boolean) | undefined,
    setPermissionRequestHandler(
      handler: (
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
      ) => void,
    ): void {
      session.defaultSession.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: () => boolean): void {
      session.defaultSession.permissionCheckHandler = handler;
    },
  },
};

export const dialog = {
  /** The button the person "clicks" in the next message boxes: 0 Quit, 1 Cancel. */
  nextResponse: 0,
  /** When true, message boxes stay open until the test calls `answer`. */
  holdAnswers: false,
  held: [] as Array<(response: number) => void>,
  messageBoxes: [] as Array<Record<string, unknown>>,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  showMessageBox(options: Record<string, unknown>): Promise<{ response: number }> {
    dialog.messageBoxes.push(options);
    if (!dialog.holdAnswers) return Promise.resolve({ response: dialog.nextResponse });
    return new Promise((resolve) => dialog.held.push((response) => resolve({ response })));
  },
  /** Clicks a button in the oldest message box still open. */
  answer(response: number): void {
    dialog.held.shift()?.(response);
  },
  showErrorBox(title: string, content: string): void {
    dialog.errorBoxes.push({ title, content });
  },
};

/** The preload's side. */
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export const ipcRenderer = {
  invoked: [] as Array<{ channel: string; args: unknown[] }>,
  listeners: new Map<string, Set<RendererListener>>(),
  invokeAnswer: undefined as unknown,
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.invoked.push({ channel, args });
    return Promise.resolve(ipcRenderer.invokeAnswer);
  },
  on(channel: string, listener: RendererListener): void {
    const set = ipcRenderer.listeners.get(channel) ?? new Set();
    set.add(listener);
    ipcRenderer.listeners.set(channel, set);
  },
  removeListener(channel: string, listener: RendererListener): void {
    ipcRenderer.listeners.get(channel)?.delete(listener);
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

/** Back to a fresh Electron between tests. */
export function resetStandIn(): void {
  app.removeAllListeners();
  app.singleInstanceLock = true;
  app.quitCalls = 0;
  app.exitCodes = [];
  app.dockHidden = false;
  BrowserWindow.created.length = 0;
  Menu.applicationMenu = undefined;
  Tray.created.length = 0;
  nativeTheme.removeAllListeners();
  nativeTheme.shouldUseDarkColors = false;
  ipcMain.handlers.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  dialog.nextResponse = 0;
  dialog.holdAnswers = false;
  dialog.held.length = 0;
  dialog.messageBoxes.length = 0;
  dialog.errorBoxes.length = 0;
  ipcRenderer.invoked.length = 0;
  ipcRenderer.listeners.clear();
  ipcRenderer.invokeAnswer = undefined;
  contextBridge.exposed.clear();
}

export default {
  app,
  BrowserWindow,
  Menu,
  Tray,
  nativeImage,
  nativeTheme,
  ipcMain,
  protocol,
  session,
  dialog,
  ipcRenderer,
  contextBridge,
};
