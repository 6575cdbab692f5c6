import type { DashboardSnapshot } from './snapshot';

export interface ActionResult {
  ok: boolean;
  error?: string;
}

/**
 * The only thing the dashboard knows about the outside world. The Electron preload
 * implements it over IPC; the `btray dashboard` web server over HTTP.
 */
export interface DashboardBridge {
  /** Calls `listener` with every new snapshot; returns an unsubscribe function. */
  subscribe(listener: (snapshot: DashboardSnapshot) => void): () => void;
  stopSession(name: string): Promise<ActionResult>;
  /**
   * Records the session's page into a new file the host names in its recordings folder;
   * the page cannot choose the path, so the dashboard cannot write anywhere else.
   */
  startRecording(name: string): Promise<ActionResult>;
  stopRecording(name: string): Promise<ActionResult>;
  setKeepOpen(name: string, on: boolean): Promise<ActionResult>;
  newSession(name: string): Promise<ActionResult>;
  /**
   * Calls `listener` when the host asks for the new-session form (the tray's New
   * session…); returns the undo. Absent where nothing outside the page can ask.
   */
  onNewSessionRequested?(listener: () => void): () => void;
}

/** The dashboard opens with its new-session form when its URL ends with this. */
export const NEW_SESSION_HASH = '#new-session';

/** IPC channel names shared by the Electron main process and the preload. */
export const BRIDGE_CHANNELS = {
  snapshot: 'btray:snapshot',
  stopSession: 'btray:stop-session',
  startRecording: 'btray:start-recording',
  stopRecording: 'btray:stop-recording',
  setKeepOpen: 'btray:set-keep-open',
  newSession: 'btray:new-session',
  requestSnapshot: 'btray:request-snapshot',
  /** Main to the window: open the new-session form. */
  newSessionRequested: 'btray:new-session-requested',
} as const;

export type BridgeChannel = (typeof BRIDGE_CHANNELS)[keyof typeof BRIDGE_CHANNELS];
