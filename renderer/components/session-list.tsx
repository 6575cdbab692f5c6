import { isLivePhase } from '../../shared/phases';
import type { SessionSnapshot } from '../../shared/snapshot';
import { useDashboard } from '../store-context';
import { EmptyState } from './empty-state';
import { SessionCard } from './session-card';

/** Live sessions first, then the ones that ended; each group by name. */
export function SessionList(props: { onNewSession: () => void }) {
  const snapshot = useDashboard((state) => state.snapshot);

  if (!snapshot) {
    return (
      <p className="loading" aria-busy="true">
        Looking for sessions…
      </p>
    );
  }
  if (snapshot.sessions.length === 0) return <EmptyState onNewSession={props.onNewSession} />;

  return (
    <ul className="cards" aria-label="Sessions">
      {[...snapshot.sessions].sort(byLiveThenName).map((session) => (
        <SessionCard key={session.name} session={session} />
      ))}
    </ul>
  );
}

function byLiveThenName(a: SessionSnapshot, b: SessionSnapshot): number {
  const live = Number(isLivePhase(b.phase)) - Number(isLivePhase(a.phase));
  return live !== 0 ? live : a.name.localeCompare(b.name);
}
