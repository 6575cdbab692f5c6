import type { Phase } from './phases';
import type { SessionConfig } from './protocol';
import type { RecordingStatus } from './recording';

/** Bumped whenever a field changes meaning; readers refuse what they do not know. */
export const STATE_SCHEMA_VERSION = 1;

/** The content of `NAME.state.json`, written atomically at every phase change. */
export interface SessionStateFile {
  schema: number;
  session: string;
  phase: Phase;
  pid: number;
  /** Epoch seconds. */
  updated_at: number;
  config: SessionConfig;
  /** Who hosts the daemon: a headless process or the tray. */
  host: 'headless' | 'tray';
  idle_timeout_s: number;
  keep_open: boolean;
  /** Epoch seconds of the last command, null before the first. */
  last_command_at: number | null;
  recording: RecordingStatus | null;
  browser_pid: number | null;
  /** Set with phase `failed`: what went wrong. */
  error?: string;
  /** Set from `shutting_down` on: why the session is ending, in words. */
  stop_reason?: string;
  /**
   * True when the session ended without anyone asking (idle timeout, its browser gone,
   * a crash), so the next command that starts a new one says the old page is gone.
   */
  stopped_by_itself?: boolean;
}
