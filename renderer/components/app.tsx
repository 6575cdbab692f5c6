import { useEffect, useState } from 'react';
import type { DashboardBridge } from '../../shared/bridge';
import { connectionOf } from '../store';
import { useDashboard } from '../store-context';
import { AppHeader } from './app-header';
import { NewSessionForm } from './new-session-form';
import { SessionList } from './session-list';

export interface AppProps {
  /** Open with the new-session form (the tray's New session… opened the window). */
  formOpenAtStart?: boolean;
  /** The host asking for the form while the window is open; absent in a plain browser. */
  onNewSessionRequested?: DashboardBridge['onNewSessionRequested'];
}

/** The whole dashboard: header, the new-session form when asked for, and the sessions. */
export function App(props: AppProps) {
  const [formOpen, setFormOpen] = useState(props.formOpenAtStart ?? false);
  const suggestedName = useDashboard((state) => freeName(state.snapshot?.sessions ?? []));
  const { onNewSessionRequested } = props;

  useEffect(() => onNewSessionRequested?.(() => setFormOpen(true)), [onNewSessionRequested]);

  return (
    <div className="app">
      <AppHeader formOpen={formOpen} onNewSession={() => setFormOpen(true)} />
      {formOpen && (
        <NewSessionForm suggestedName={suggestedName} onClose={() => setFormOpen(false)} />
      )}
      <ConnectionBanner />
      <main>
        <SessionList onNewSession={() => setFormOpen(true)} />
      </main>
      <Announcer />
    </div>
  );
}

function ConnectionBanner() {
  const connection = useDashboard(connectionOf);
  if (connection !== 'lost') return null;
  return (
    <p className="banner" role="alert">
      Lost contact with the session monitor; what you see may be out of date. Retrying…
    </p>
  );
}

/** Changes worth hearing, said politely by screen readers; invisible on screen. */
function Announcer() {
  const announcement = useDashboard((state) => state.announcement);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true">
      {announcement}
    </div>
  );
}

/** `session-2`, `session-3`…: the first name no listed session uses. */
function freeName(sessions: { name: string }[]): string {
  const taken = new Set(sessions.map((session) => session.name));
  if (!taken.has('default')) return 'default';
  let index = 2;
  while (taken.has(`session-${index}`)) index += 1;
  return `session-${index}`;
}
