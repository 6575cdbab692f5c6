import type { RecordingStatus } from '../shared/recording';
import type { SessionSnapshot } from '../shared/snapshot';

/**
 * Seconds until the idle stop, `sinceSnapshotMs` after the snapshot arrived: the
 * countdown keeps going down between snapshots. Null when there is no idle timer to show.
 */
export function idleSecondsLeft(session: SessionSnapshot, sinceSnapshotMs: number): number | null {
  if (session.keep_open || session.idle_seconds_left === null) return null;
  return Math.max(0, session.idle_seconds_left - Math.max(0, sinceSnapshotMs) / 1000);
}

/** The recording's length `sinceSnapshotMs` after the snapshot arrived. */
export function recordingElapsedS(recording: RecordingStatus, sinceSnapshotMs: number): number {
  return recording.elapsed_s + Math.max(0, sinceSnapshotMs) / 1000;
}
