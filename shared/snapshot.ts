import { isLivePhase, type Phase } from './phases';
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
  /**
   * True when the process its state file names no longer exists while the file does not
   * say stopped: it crashed or was killed. Nothing can stop it; nothing records.
   */
  gone: boolean;
  /** True when its state file cannot be read or understood; `problem` says why. */
  unreadable: boolean;
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

/** A session whose daemon may still serve: a live phase, and its process is there. */
export function isActiveSession(session: SessionSnapshot): boolean {
  return isLivePhase(session.phase) && !session.gone;
}

/**
 * Nothing is left to act on: it stopped, its process is gone, or its state file cannot
 * be read (and nothing answers for it). The dashboard folds these away.
 */
export function hasEnded(session: SessionSnapshot): boolean {
  return session.phase === 'stopped' || session.gone || session.unreadable;
}

/** Recording now: a gone session's state file may still say so, but nothing records. */
export function isRecording(session: SessionSnapshot): boolean {
  return session.recording?.active === true && !session.gone;
}
