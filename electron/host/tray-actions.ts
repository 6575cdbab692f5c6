import type { DashboardBridge } from '../../shared/bridge';
import type { DashboardSnapshot } from '../../shared/snapshot';
import type { Logger } from '../daemon/logger';
import { stoppableSessions, type TrayAction } from './tray-menu-model';

/** What the tray's menu items act on; the Electron shell supplies the window and dialogs. */
export interface TrayActionTargets {
  /** Shows the dashboard; with `newSession`, its new-session form is open. */
  openDashboard(request: { newSession: boolean }): void;
  bridge: Pick<DashboardBridge, 'stopSession'>;
  /** The monitor's latest snapshot: every session in the home folder. */
  snapshot(): DashboardSnapshot | undefined;
  /** The sessions this tray hosts, by name, whether the monitor saw them yet or not. */
  hostedSessions(): string[];
  /** The tray's Quit, which asks first when a browser is open. */
  requestQuit(): void;
  /** Tells the person that something failed (a message box in the shell). */
  warn(message: string, detail: string): Promise<void>;
  log: Logger;
}

/** Runs one tray menu item. Never throws: a failure is logged and shown. */
export function runTrayAction(action: TrayAction, targets: TrayActionTargets): void {
  switch (action.kind) {
    case 'open-dashboard':
      targets.openDashboard({ newSession: false });
      return;
    case 'new-session':
      // The dashboard's form has the name field and its checks.
      targets.openDashboard({ newSession: true });
      return;
    case 'stop-session':
      void stopSessions([action.session], targets);
      return;
    case 'stop-all':
      void stopSessions(stopAllNames(targets.snapshot(), targets.hostedSessions()), targets);
      return;
    case 'quit':
      targets.requestQuit();
      return;
  }
}

/**
 * Stop all means every session the menu shows as stoppable and every session the tray
 * hosts: one created a moment ago may not be in a snapshot yet. Each name once.
 */
export function stopAllNames(snapshot: DashboardSnapshot | undefined, hosted: string[]): string[] {
  const shown = stoppableSessions(snapshot).map((session) => session.name);
  return [...new Set([...shown, ...hosted])];
}

/** Stops sessions through their sockets, whoever hosts them; refusals are shown together. */
export async function stopSessions(names: string[], targets: TrayActionTargets): Promise<void> {
  const results = await Promise.all(
    names.map(async (name) => ({ name, result: await targets.bridge.stopSession(name) })),
  );
  const failed = results.filter(({ result }) => !result.ok);
  if (failed.length === 0) return;

  const detail = failed.map(({ name, result }) => `${name}: ${result.error}`).join('\n');
  targets.log.warn({ detail }, 'TrayActions - stopping sessions failed');
  await targets.warn('Could not stop every session', detail).catch((error: unknown) => {
    targets.log.error({ err: error }, 'TrayActions - the warning could not be shown');
  });
}
