import { isLivePhase } from '../../shared/phases';
import type { SessionSnapshot } from '../../shared/snapshot';
import { shortUrl } from '../format';
import { useDashboard } from '../store-context';
import { CloseIcon, GlobeIcon, WarningIcon } from './icons';
import { IdleCountdown } from './idle-countdown';
import { PhaseBadge } from './phase-badge';
import { RecordingIndicator } from './recording-indicator';
import { SessionActions } from './session-actions';

/** One session: who it is, what it is doing, how long it has left, and what you can do. */
export function SessionCard(props: { session: SessionSnapshot }) {
  const { session } = props;
  const pending = useDashboard((state) => state.pending[session.name]);
  const error = useDashboard((state) => state.errors[session.name]);
  const dismissError = useDashboard((state) => state.dismissError);
  const headingId = `session-${session.name}`;
  const live = isLivePhase(session.phase);
  // While it stops, the actions stay in view, disabled, with Stop's spinner.
  const actionable = live || session.phase === 'shutting_down';

  return (
    <li className={`card ${live ? '' : 'card-ended'}`} aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId} className="card-name">
          {session.name}
        </h2>
        <PhaseBadge phase={session.phase} unresponsive={session.unresponsive} />
        <span className="card-meta">{describeHost(session)}</span>
      </div>

      <PageLine session={session} />

      {session.problem && (
        <p className="problem">
          <WarningIcon />
          <span>{session.problem}</span>
        </p>
      )}

      {live && (session.keep_open || session.idle_seconds_left !== null || session.recording) && (
        <div className="stats">
          <IdleCountdown session={session} />
          <RecordingIndicator session={session} />
        </div>
      )}

      {actionable && <SessionActions session={session} pending={pending} />}

      {error && (
        <div className="action-error" role="alert">
          <WarningIcon />
          <span>{error}</span>
          <button
            type="button"
            className="icon-button"
            onClick={() => dismissError(session.name)}
            aria-label={`Dismiss the error of ${session.name}`}
          >
            <CloseIcon />
          </button>
        </div>
      )}
    </li>
  );
}

function PageLine(props: { session: SessionSnapshot }) {
  const { title, url, phase, ended_because: endedBecause } = props.session;
  if (!title && !url) {
    if (!isLivePhase(phase)) {
      return endedBecause ? (
        <p className="page page-empty">Ended by itself: {endedBecause}</p>
      ) : null;
    }
    const idle =
      phase === 'ready' ? 'No browser yet: it starts with the first command' : 'No page yet';
    return <p className="page page-empty">{idle}</p>;
  }

  return (
    <p className="page">
      <GlobeIcon />
      <span className="page-title">{title || 'Untitled page'}</span>
      {url && (
        <span className="page-url" title={url}>
          {shortUrl(url)}
        </span>
      )}
    </p>
  );
}

function describeHost(session: SessionSnapshot): string {
  const parts: string[] = [];
  if (session.host !== 'unknown') parts.push(session.host === 'tray' ? 'in tray' : 'headless');
  if (session.config?.headed) parts.push('headed');
  if (session.config?.profile) parts.push(`profile ${session.config.profile}`);
  if (session.pid !== null) parts.push(`pid ${session.pid}`);
  return parts.join(' · ');
}
