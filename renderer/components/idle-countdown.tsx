import type { SessionSnapshot } from '../../shared/snapshot';
import { idleSecondsLeft } from '../countdown';
import { formatClock, spokenDuration } from '../format';
import { useDashboard } from '../store-context';
import { ClockIcon, PauseIcon } from './icons';

/** Below this many seconds the countdown turns to a warning colour. */
const SOON_S = 60;

/**
 * Time until the idle watchdog stops the session, ticking every second between
 * snapshots. Kept open, the timer is paused and says so.
 */
export function IdleCountdown(props: { session: SessionSnapshot }) {
  const { session } = props;
  const sinceSnapshotMs = useDashboard((state) => state.now - state.receivedAt);

  if (session.keep_open) {
    return (
      <span className="stat stat-paused">
        <PauseIcon />
        <span>Kept open</span>
        <span className="stat-hint">idle timer paused</span>
      </span>
    );
  }
  const left = idleSecondsLeft(session, sinceSnapshotMs);
  if (left === null) return null;

  const total = session.idle_timeout_s ?? 0;
  const fraction = total > 0 ? Math.min(1, left / total) : 0;
  return (
    <span className={`stat stat-idle ${left <= SOON_S ? 'stat-soon' : ''}`}>
      <ClockIcon />
      <span>
        Idle stop in{' '}
        <span className="clock" aria-hidden="true">
          {formatClock(Math.ceil(left))}
        </span>
        <span className="sr-only">{spokenDuration(Math.ceil(left))}</span>
      </span>
      {total > 0 && (
        <span className="meter" aria-hidden="true">
          <span className="meter-fill" style={{ inlineSize: `${(fraction * 100).toFixed(1)}%` }} />
        </span>
      )}
    </span>
  );
}
