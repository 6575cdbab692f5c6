import type { Phase } from './phases';
import type { SessionConfig } from './protocol';
import type { RecordingStatus } from './recording';

/** One session as the dashboard shows it. */
export interface SessionSnapshot {
  name: string;
  host: 'headless' | 'tray' | 'unknown';
  pid: number | null;
  phase: Phase;
  /** True when the state file says live but the socket does not answer. */
  unresponsive: boolean;
  config: SessionConfig | null;
  idle_timeout_s: number | null;
  idle_seconds_left: number | null;
  keep_open: boolean;
  recording: RecordingStatus | null;
  url: string | null;
  title: string | null;
  updated_at: number;
  /** A problem reading this session (corrupt state file, unknown schema…). */
  problem: string | null;
  /** Why the session ended, when it ended by itself (idle timeout, its browser gone). */
  ended_because: string | null;
}

export interface DashboardSnapshot {
  /** Epoch milliseconds when the snapshot was taken. */
  taken_at: number;
  home: string;
  sessions: SessionSnapshot[];
}
