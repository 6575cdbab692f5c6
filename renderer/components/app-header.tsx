import { summarizeSessions } from '../session-summary';
import { type Connection, connectionOf } from '../store';
import { useDashboard } from '../store-context';
import { LogoMark, PlusIcon } from './icons';

const CONNECTION_LABELS: Record<Connection, string> = {
  connecting: 'Connecting',
  live: 'Live',
  lost: 'Reconnecting',
};

/** The brand, a one-line summary, the link state and the New session button. */
export function AppHeader(props: { formOpen: boolean; onNewSession: () => void }) {
  const connection = useDashboard(connectionOf);
  const summary = useDashboard((state) => summarizeSessions(state.snapshot?.sessions ?? []));

  return (
    <header className="header">
      <LogoMark />
      <div className="header-text">
        <h1>Browser Tray</h1>
        <p className="header-summary">{summary}</p>
      </div>
      <span className={`connection connection-${connection}`}>
        <span className="connection-dot" aria-hidden="true" />
        {CONNECTION_LABELS[connection]}
      </span>
      <button
        type="button"
        className="button button-primary"
        onClick={props.onNewSession}
        aria-expanded={props.formOpen}
        disabled={props.formOpen}
      >
        <PlusIcon />
        <span className="button-label">New session</span>
      </button>
    </header>
  );
}
