import type { Phase } from '../../shared/phases';
import { phaseLabel } from '../format';

/** The session's phase as a coloured pill; an unanswering session says so instead. */
export function PhaseBadge(props: { phase: Phase; unresponsive: boolean }) {
  const label = props.unresponsive ? 'not responding' : phaseLabel(props.phase);
  const tone = props.unresponsive ? 'unresponsive' : props.phase;
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      <span className="sr-only">Phase: </span>
      {label}
    </span>
  );
}
