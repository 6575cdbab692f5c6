import { join } from 'node:path';
import { app, dialog } from 'electron';
import { BRIDGE_CHANNELS, type DashboardBridge } from '../shared/bridge';
import { errorMessage } from '../shared/errors';
import { DEFAULT_SESSION } from '../shared/session-name';
import { setupQuit } from './app-quit';
import { defaultDaemonConfig } from './daemon/daemon-config';
import { hostControlPaths } from './daemon/host-control-paths';
import { createSessionLogger, type Logger } from './daemon/logger';
import { ensureHome, resolveHome } from './daemon/paths';
import { DashboardWindow, registerRendererScheme, setupRendererProtocol } from './dashboard-window';
import { HostControlServer } from './host/host-control-server';
import { createMonitorBridge } from './host/monitor-bridge';
import type { QuitSequence } from './host/quit-sequence';
import { SessionHost } from './host/session-host';
import { SessionMonitor } from './host/session-monitor';
import { buildTrayMenuModel, stoppableSessions, type TrayAction } from './host/tray-menu-model';
import { setupIpc } from './ipc';
import { TrayMenu } from './tray-menu';

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
 * dashboard window's protocol and IPC, the tray menu, the quit sequence, and the
 * `default` session. Resolves undefined when another tray host owns the home folder.
 */
export async function startTrayApp(options: TrayAppOptions): Promise<TrayApp | undefined> {
  await app.whenReady();
  setupDocklessApp();

  const home = resolveHome(options.env);
  ensureHome(home);
  const log = setupHostLog(home, options.env);
  const disposeCrashLogging = setupCrashLogging(log);

  const host = new SessionHost({ home, env: options.env, log: log.child({ ns: 'host' }) });
  const control = await setupControlSocket(home, host, log);
  if (!control) {
    disposeCrashLogging();
    return undefined;
  }

  const monitor = setupMonitor(home, host, log);
  const bridge = setupBridge(home, monitor, host, log);
  const { window, disposeIpc } = setupDashboard(options.bundleDir, bridge, monitor, log);
  const tray = new TrayMenu({
    iconDir: options.iconDir,
    onAction: (action) => runTrayAction(action, targets),
    log,
  });
  setupSnapshotDelivery(monitor, window, tray);

  const quit = setupQuit({
    host,
    deadlineMs: options.quitDeadlineMs ?? DEFAULT_QUIT_DEADLINE_MS,
    beforeStop: () => control.close(),
    afterStop: () => {
      disposeIpc();
      monitor.stop();
      tray.destroy();
      window.destroy();
      quit.dispose();
      disposeCrashLogging();
      log.flush();
    },
    log,
  });
  const targets: TrayActionTargets = { window, bridge, monitor, host, quit: quit.sequence, log };

  setupSecondInstance(window);
  await setupDefaultSession(host, log);
  return { home, host, control, monitor, window, tray, quit: quit.sequence, log };
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

/** Every snapshot goes to the dashboard window and rebuilds the tray menu. */
function setupSnapshotDelivery(
  monitor: SessionMonitor,
  window: DashboardWindow,
  tray: TrayMenu,
): void {
  tray.render(buildTrayMenuModel(undefined));
  monitor.subscribe((snapshot) => {
    window.send(BRIDGE_CHANNELS.snapshot, snapshot);
    tray.render(buildTrayMenuModel(snapshot));
  });
}

function setupSecondInstance(window: DashboardWindow): void {
  app.on('second-instance', () => window.open());
}

/** The `default` session, unless it already runs elsewhere (a headless daemon). */
async function setupDefaultSession(host: SessionHost, log: Logger): Promise<void> {
  try {
    await host.create(DEFAULT_SESSION);
  } catch (error) {
    log.info({ err: errorMessage(error) }, 'the default session is not hosted by the tray');
  }
}

interface TrayActionTargets {
  window: DashboardWindow;
  bridge: DashboardBridge;
  monitor: SessionMonitor;
  host: SessionHost;
  quit: QuitSequence;
  log: Logger;
}

function runTrayAction(action: TrayAction, targets: TrayActionTargets): void {
  switch (action.kind) {
    case 'open-dashboard':
    case 'new-session':
      // The dashboard has the new-session form, with the name field and its checks.
      targets.window.open();
      return;
    case 'stop-session':
      void stopSessions([action.session], targets);
      return;
    case 'stop-all': {
      const shown = stoppableSessions(targets.monitor.current()).map((session) => session.name);
      const hosted = targets.host.list().map((session) => session.session);
      void stopSessions([...new Set([...shown, ...hosted])], targets);
      return;
    }
    case 'quit':
      void targets.quit.requestQuit(true);
      return;
  }
}

/** Stops sessions through their sockets, whoever hosts them; a refusal is shown. */
async function stopSessions(names: string[], targets: TrayActionTargets): Promise<void> {
  const results = await Promise.all(
    names.map(async (name) => ({ name, result: await targets.bridge.stopSession(name) })),
  );
  const failed = results.filter(({ result }) => !result.ok);
  if (failed.length === 0) return;

  const detail = failed.map(({ name, result }) => `${name}: ${result.error}`).join('\n');
  targets.log.warn({ detail }, 'tray - stopping sessions failed');
  await dialog.showMessageBox({ type: 'warning', message: 'Could not stop every session', detail });
}
