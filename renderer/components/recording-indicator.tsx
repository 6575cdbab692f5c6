import type { SessionSnapshot } from '../../shared/snapshot';
import { recordingElapsedS } from '../countdown';
import { fileName, formatBytes, formatClock, spokenDuration } from '../format';
import { useDashboard } from '../store-context';

/** A recording under way: a pulsing mark, the elapsed time (ticking) and the file name. */
export function RecordingIndicator(props: { session: SessionSnapshot }) {
  const recording = props.session.recording;
  const sinceSnapshotMs = useDashboard((state) => state.now - state.receivedAt);
  if (!recording?.active) return null;

  const elapsed = recordingElapsedS(recording, sinceSnapshotMs);
  const size = recording.size_bytes > 0 ? ` · ${formatBytes(recording.size_bytes)}` : '';
  return (
    <span className="stat stat-recording" title={recording.path}>
      <span className="rec-dot" aria-hidden="true" />
      <span className="rec-label">Rec</span>
      <span className="clock" aria-hidden="true">
        {formatClock(elapsed)}
      </span>
      <span className="sr-only">for {spokenDuration(elapsed)}</span>
      <span className="rec-file">
        {fileName(recording.path)}
        {size}
      </span>
    </span>
  );
}
