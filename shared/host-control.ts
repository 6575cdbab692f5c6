/**
 * The tray host's control socket: the same one-line JSON framing and token check as a
 * session socket, with its own few actions. The CLI uses it to have the running tray
 * host a session instead of spawning a headless daemon.
 */
import type { Phase } from './phases';
import type { SessionConfig } from './protocol';

export const HOST_CONTROL_ACTIONS = [
  'ping',
  'create_session',
  'list_sessions',
  'stop_session',
] as const;

export type HostControlAction = (typeof HOST_CONTROL_ACTIONS)[number];

/** `create_session` params, named as on the wire. */
export interface CreateSessionParams {
  session: string;
  headed?: boolean;
  profile?: string | null;
  cdp_url?: string | null;
  /** Seconds without a command before the session closes itself; absent: the default. */
  idle_timeout_s?: number | null;
}

/** One session hosted by the tray, as `list_sessions` and `create_session` answer. */
export interface HostedSessionData {
  session: string;
  phase: Phase;
  socket: string;
  config: SessionConfig;
}

/** `ping` on the control socket: who the host is. */
export interface HostPingData {
  host: 'tray';
  pid: number;
  sessions: string[];
}
