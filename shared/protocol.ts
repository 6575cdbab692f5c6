/**
 * The wire protocol: the browser-use CLI daemon's, one JSON line each way per
 * connection. This module is types and constants only, so the CLI can import it
 * without loading a schema library.
 */
import type { ErrorCode } from './errors';
import type { Phase } from './phases';
import type { RecordingStatus } from './recording';

export interface Request {
  id: string;
  action: string;
  params: Record<string, unknown>;
  token: string;
  /**
   * Ours, not browser-use's: the client will never half-close, so its connection ending
   * before the answer means it went away (Ctrl-C, killed), and the daemon drops the
   * request: skipped if still queued, `eval` and `wait` abandoned if running.
   */
  cancel_on_disconnect?: boolean;
}

export interface SuccessResponse<T = unknown> {
  id: string;
  success: true;
  data: T;
}

export interface FailureResponse {
  id: string;
  success: false;
  error: string;
  code: ErrorCode;
}

export type Response<T = unknown> = SuccessResponse<T> | FailureResponse;

/** Actions the daemon answers without touching the browser queue. */
export const CONTROL_ACTIONS = ['ping', 'status', 'shutdown', 'keep_open'] as const;

/** Every action of the browser-use CLI daemon that we implement, plus `status`. */
export const BROWSER_ACTIONS = [
  'connect',
  'open',
  'click',
  'type',
  'input',
  'scroll',
  'back',
  'screenshot',
  'state',
  'tab',
  'keys',
  'select',
  'upload',
  'eval',
  'hover',
  'dblclick',
  'rightclick',
  'cookies',
  'wait',
  'get',
  'record',
  'python',
  'extract',
] as const;

export type ControlAction = (typeof CONTROL_ACTIONS)[number];
export type BrowserAction = (typeof BROWSER_ACTIONS)[number];

/** The bytes one request line may take, newline included. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** How long a client may take to send its first (and only) line. */
export const REQUEST_READ_DEADLINE_MS = 10_000;

export interface SessionConfig {
  headed: boolean;
  profile: string | null;
  cdp_url: string | null;
  use_cloud: boolean;
}

export interface PingData extends SessionConfig {
  session: string;
  pid: number;
}

export interface StatusData {
  session: string;
  pid: number;
  phase: Phase;
  config: SessionConfig;
  /** Seconds until the idle watchdog stops the session; null while kept open. */
  idle_seconds_left: number | null;
  idle_timeout_s: number;
  keep_open: boolean;
  last_command_at: number | null;
  recording: RecordingStatus | null;
  browser: { pid: number | null; connected: boolean; launched: boolean } | null;
  url: string | null;
  title: string | null;
  tabs: number;
}
