import type { Phase } from '../../shared/phases';
import {
  type DashboardSnapshot,
  hasEnded,
  isActiveSession,
  isRecording,
  type SessionSnapshot,
} from '../../shared/snapshot';

/** What a tray menu item does when clicked; the Electron shell maps each to a call. */
export type TrayAction =
  | { kind: 'open-dashboard' }
  | { kind: 'new-session' }
  | { kind: 'stop-session'; session: string }
  | { kind: 'stop-all' }
  | { kind: 'quit' };

export type TrayMenuEntry =
  | { type: 'item'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'separator' };

/** The tray menu, its tooltip and icon state, built from one snapshot. */
export interface TrayMenuModel {
  tooltip: string;
  /** Any session recording: the shell shows the recording variant of the icon. */
  recording: boolean;
  entries: TrayMenuEntry[];
}

/** What the tray is doing besides showing sessions. */
export interface TrayMenuState {
  /** Quit is under way: the hosted sessions are being stopped. */
  quitting: boolean;
}

const PRODUCT = 'Browser Tray';

const PHASE_LABELS: Record<Phase, string> = {
  initializing: 'starting up',
  ready: 'ready',
  starting: 'launching browser',
  running: 'running',
  shutting_down: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
};

/**
 * The tray menu for a snapshot. Linux tray backends show only the menu (a click on the
 * icon may never arrive), so everything the tray can do is in it: each session with its
 * phase and a recording mark, the dashboard, a new session, Stop per session, Stop all
 * and Quit. Sessions that ended (stopped, their process gone, their state file unreadable)
 * are left out: there is nothing to do with them here, and they are not counted.
 */
export function buildTrayMenuModel(
  snapshot: DashboardSnapshot | undefined,
  state: TrayMenuState = { quitting: false },
): TrayMenuModel {
  if (state.quitting) return quittingModel(snapshot);
  const sessions = (snapshot?.sessions ?? []).filter((session) => !hasEnded(session));
  const stoppable = stoppableSessions(snapshot);
  const recording = sessions.filter(isRecording);

  const entries: TrayMenuEntry[] = [
    ...sessionLines(sessions),
    { type: 'separator' },
    item('Open dashboard', { kind: 'open-dashboard' }),
    item('New session…', { kind: 'new-session' }),
    { type: 'separator' },
    ...stoppable.map((session) =>
      item(`Stop ${session.name}`, { kind: 'stop-session', session: session.name }),
    ),
    item('Stop all', { kind: 'stop-all' }, stoppable.length > 0),
    { type: 'separator' },
    item(`Quit ${PRODUCT}`, { kind: 'quit' }),
  ];
  return {
    tooltip: tooltip(sessions.length, recording.length),
    recording: recording.length > 0,
    entries,
  };
}

/**
 * While Quit waits, say for what: a recording is finished however long it takes (it is
 * never cut short), so the person sees why the tray is still there. Only the dashboard
 * stays on offer; everything else is being stopped.
 */
function quittingModel(snapshot: DashboardSnapshot | undefined): TrayMenuModel {
  const finishing = (snapshot?.sessions ?? [])
    .filter((session) => session.host === 'tray' && isRecording(session))
    .map((session) => session.name);
  const doing =
    finishing.length > 0
      ? `Finishing recording of ${finishing.join(', ')}…`
      : 'Closing the browsers…';

  return {
    tooltip: `${PRODUCT} — quitting: ${doing.charAt(0).toLowerCase()}${doing.slice(1)}`,
    recording: finishing.length > 0,
    entries: [
      { type: 'item', label: `Quitting ${PRODUCT}…`, enabled: false },
      { type: 'item', label: doing, enabled: false },
      { type: 'separator' },
      item('Open dashboard', { kind: 'open-dashboard' }),
    ],
  };
}

/** A session answering in a live phase can be asked to stop. */
function canStop(session: SessionSnapshot): boolean {
  return isActiveSession(session) && !session.unresponsive;
}

/** The sessions of a snapshot that Stop and Stop all act on. */
export function stoppableSessions(snapshot: DashboardSnapshot | undefined): SessionSnapshot[] {
  return (snapshot?.sessions ?? []).filter(canStop);
}

function sessionLines(sessions: SessionSnapshot[]): TrayMenuEntry[] {
  if (sessions.length === 0) return [{ type: 'item', label: 'No sessions', enabled: false }];
  return sessions.map((session) => item(sessionLabel(session), { kind: 'open-dashboard' }));
}

/** `work — running · ● REC`, `ci — ready (headless)`, `old — not responding`. */
export function sessionLabel(session: SessionSnapshot): string {
  const state = session.unresponsive ? 'not responding' : PHASE_LABELS[session.phase];
  const host = session.host === 'headless' ? ' (headless)' : '';
  const mark = isRecording(session) ? ' · ● REC' : '';
  return `${session.name} — ${state}${mark}${host}`;
}

function tooltip(sessions: number, recording: number): string {
  if (sessions === 0) return `${PRODUCT} — no sessions`;
  const counted = `${sessions} session${sessions === 1 ? '' : 's'}`;
  return recording > 0
    ? `${PRODUCT} — ${counted}, ${recording} recording`
    : `${PRODUCT} — ${counted}`;
}

function item(label: string, action: TrayAction, enabled = true): TrayMenuEntry {
  return { type: 'item', label, enabled, action };
}
