import { join } from 'node:path';
import { app, dialog, Menu } from 'electron';
import { BRIDGE_CHANNELS, type DashboardBridge } from '../shared/bridge';
import { errorMessage } from '../shared/errors';
import { DEFAULT_SESSION } from '../shared/session-name';
import type { DashboardSnapshot } from '../shared/snapshot';
import { setupQuit } from './app-quit';
import { defaultDaemonConfig } from './daemon/daemon-config';
import { hostControlPaths } from './daemon/host-control-paths';
import { createSessionLogger, type Logger } from './daemon/logger';
import { ensureHome, resolveHome } from './daemon/paths';
import { DashboardWindow, registerRendererScheme, setupRendererProtocol } from './dashboard-window';
import { HostControlServer } from './host/host-control-server';
import { LaunchRequests } from './host/launch-requests';
import { createMonitorBridge } from './host/monitor-bridge';
import type { QuitSequence } from './host/quit-sequence';
import { SessionHost } from './host/session-host';
import { SessionMonitor } from './host/session-monitor';
import { Teardown } from './host/teardown';
import { runTrayAction, type TrayActionTargets } from './host/tray-actions';
import { buildTrayMenuModel } from './host/tray-menu-model';
import { setupIpc } from './ipc';
import { TrayMenu } from './tray-menu';
import { setupWebContentsGuard } from './web-contents-guard';

export interface TrayAppOptions {
  /** Read once here: the home folder, log level, Chromium and ffmpeg overrides. */
  env: NodeJS.ProcessEnv;
  /** The folder of the bundles: `preload.cjs` and the built `renderer/`. */
  bundleDir: string;
  /** The tray PNGs (`build/tray` inside the app). */
  iconDir: string;
  /** How long Quit waits for every hosted session to stop before exiting anyway. */
  quitDeadlineMs?: number;
}

/** Everything the running tray holds; kept alive for the app's whole life. */
export interface TrayApp {
  home: string;
  host: SessionHost;
  control: HostControlServer;
  monitor: SessionMonitor;
  window: DashboardWindow;
  tray: TrayMenu;
  quit: QuitSequence;
  log: Logger;
}

/** Long enough for a recording to be finished and a browser to close. */
const DEFAULT_QUIT_DEADLINE_MS = 20_000;

/** Before anything else: a second launch tells the first to show itself, then quits. */
export function claimSingleInstance(): boolean {
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

/** What Electron needs before `ready`. */
export function setupBeforeReady(): void {
  registerRendererScheme();
  // Any listener here stops Electron from quitting when the last window closes: the
  // app lives in the tray, and only Quit ends it.
  app.on('window-all-closed', () => undefined);
}

/**
 * Starts the tray: its log, the session host and its control socket, the monitor, the
 * dashboard window's protocol and IPC, the quit sequence, the tray menu, and the
 * `default` session. Resolves undefined when another tray host owns the home folder.
 */
export async function startTrayApp(options: TrayAppOptions): Promise<TrayApp | undefined> {
  // Before the first await: a second launch during start-up must not be lost.
  const launches = setupLaunchRequests();
  await app.whenReady();
  setupDocklessApp();
  setupNoApplicationMenu();

  const home = resolveHome(options.env);
  ensureHome(home);
  const log = setupHostLog(home, options.env);
  const teardown = new Teardown(log);
  teardown.add(setupCrashLogging(log));
  setupWebContentsGuard(log);

  const host = new SessionHost({ home, env: options.env, log: log.child({ ns: 'host' }) });
  const control = await setupControlSocket(home, host, log);
  if (!control) {
    teardown.run();
    return undefined;
  }

  const monitor = setupMonitor(home, host, log);
  teardown.add(() => monitor.stop());
  const bridge = setupBridge(home, monitor, host, log);
  const { window, disposeIpc } = setupDashboard(options.bundleDir, bridge, monitor, log);
  teardown.add(() => window.destroy());
  teardown.add(disposeIpc);

  const quit = setupQuit({
    host,
    deadlineMs: options.quitDeadlineMs ?? DEFAULT_QUIT_DEADLINE_MS,
    beforeStop: () => control.close(),
    afterStop: () => teardown.run(),
    log,
  });
  teardown.add(quit.dispose);

  const targets = trayActionTargets({ window, bridge, monitor, host, quit: quit.sequence, log });
  const tray = setupTrayMenu(options.iconDir, targets, monitor, window, quit.sequence, log);
  teardown.add(() => tray.destroy());

  launches.attach(() => window.open());
  await setupDefaultSession(host, log);
  return { home, host, control, monitor, window, tray, quit: quit.sequence, log };
}

/**
 * A second launch (`second-instance`) and macOS re-opening the app from Finder or the
 * Dock (`activate`) both bring up the dashboard, even when they come during start-up.
 */
function setupLaunchRequests(): LaunchRequests {
  const launches = new LaunchRequests();
  app.on('second-instance', () => launches.request());
  app.on('activate', () => launches.request());
  return launches;
}

/** No application menu: Alt shows no default menu bar, and there is no DevTools item. */
function setupNoApplicationMenu(): void {
  Menu.setApplicationMenu(null);
}

/** macOS: a tray-only app (the packaged app says so with LSUIElement; this covers dev runs). */
function setupDocklessApp(): void {
  app.dock?.hide();
}

/** The tray's own log, `<home>/.host.log`, at the level the sessions use. */
function setupHostLog(home: string, env: NodeJS.ProcessEnv): Logger {
  const level = defaultDaemonConfig(DEFAULT_SESSION, home, env).logLevel;
  const log = createSessionLogger(hostControlPaths(home).log, level, 'tray-host');
  log.info({ pid: process.pid, home }, 'tray starting');
  return log;
}

/**
 * One session's bug must not end every other session in the tray: log it and carry on.
 */
function setupCrashLogging(log: Logger): () => void {
  const onException = (error: Error) => log.error({ err: error }, 'uncaught exception');
  const onRejection = (reason: unknown) => log.error({ err: reason }, 'unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.removeListener('uncaughtException', onException);
    process.removeListener('unhandledRejection', onRejection);
  };
}

/** The control socket is the tray's claim on the home folder: one tray host per home. */
async function setupControlSocket(
  home: string,
  host: SessionHost,
  log: Logger,
): Promise<HostControlServer | undefined> {
  const control = new HostControlServer({ home, host, log });
  try {
    await control.start();
    return control;
  } catch (error) {
    log.error({ err: errorMessage(error) }, 'the control socket could not start; quitting');
    dialog.showErrorBox('Browser Tray cannot start', errorMessage(error));
    app.exit(1);
    return undefined;
  }
}

function setupMonitor(home: string, host: SessionHost, log: Logger): SessionMonitor {
  const monitor = new SessionMonitor({ home, log: log.child({ ns: 'monitor' }) });
  monitor.start();
  // A session joining or leaving the tray shows at once, not at the next poll.
  host.onChange(() => {
    monitor.refresh().catch((error: unknown) => log.debug({ err: error }, 'refresh failed'));
  });
  return monitor;
}

/** The dashboard's actions; a new session from the dashboard is hosted in the tray. */
function setupBridge(
  home: string,
  monitor: SessionMonitor,
  host: SessionHost,
  log: Logger,
): DashboardBridge {
  return createMonitorBridge({
    home,
    monitor,
    newSession: async (name) => {
      await host.create(name);
    },
    log: log.child({ ns: 'bridge' }),
  });
}

/** The dashboard window, its `btray://` pages, and IPC from that window only. */
function setupDashboard(
  bundleDir: string,
  bridge: DashboardBridge,
  monitor: SessionMonitor,
  log: Logger,
): { window: DashboardWindow; disposeIpc: () => void } {
  setupRendererProtocol(join(bundleDir, 'renderer'));
  const window = new DashboardWindow({ preload: join(bundleDir, 'preload.cjs'), log });
  const disposeIpc = setupIpc({
    bridge,
    snapshot: () => monitor.refresh(),
    trustedWebContentsId: () => window.webContentsId,
    log,
  });
  return { window, disposeIpc };
}

/** The `default` session, unless it already runs elsewhere (a headless daemon). */
async function setupDefaultSession(host: SessionHost, log: Logger): Promise<void> {
  try {
    await host.create(DEFAULT_SESSION);
  } catch (error) {
    log.info({ err: errorMessage(error) }, 'the default session is not hosted by the tray');
  }
}

/** The tray's menu items act on the window, the sockets and the quit sequence. */
function trayActionTargets(parts: {
  window: DashboardWindow;
  bridge: DashboardBridge;
  monitor: SessionMonitor;
  host: SessionHost;
  quit: QuitSequence;
  log: Logger;
}): TrayActionTargets {
  const { window, bridge, monitor, host, quit, log } = parts;
  return {
    openDashboard: (request) => window.open(request),
    bridge,
    snapshot: () => monitor.current(),
    hostedSessions: () => host.list().map((session) => session.session),
    requestQuit: () => {
      void quit.requestQuit(true);
    },
    warn: async (message, detail) => {
      await dialog.showMessageBox({ type: 'warning', message, detail });
    },
    log,
  };
}

/**
 * The tray icon and menu, rebuilt from every snapshot and at every quit stage; while
 * Quit waits for the sessions, the menu says what it waits for.
 */
function setupTrayMenu(
  iconDir: string,
  targets: TrayActionTargets,
  monitor: SessionMonitor,
  window: DashboardWindow,
  quit: QuitSequence,
  log: Logger,
): TrayMenu {
  const tray = new TrayMenu({ iconDir, onAction: (action) => runTrayAction(action, targets), log });
  let shown: DashboardSnapshot | undefined;
  const render = () => {
    tray.render(buildTrayMenuModel(shown, { quitting: quit.stage === 'stopping' }));
  };

  render();
  monitor.subscribe((snapshot) => {
    shown = snapshot;
    window.send(BRIDGE_CHANNELS.snapshot, snapshot);
    render();
  });
  // After `stopping` the tray is gone: `exiting` comes after the teardown.
  quit.onStageChange((stage) => {
    if (stage !== 'exiting') render();
  });
  return tray;
}
