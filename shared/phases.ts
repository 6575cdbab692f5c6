/**
 * A session's lifecycle phase. Phases only move forward (see {@link canAdvance}); the
 * daemon, the CLI and the dashboard all read this one type.
 */
export type Phase =
  | 'initializing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'shutting_down'
  | 'stopped'
  | 'failed';

export const PHASES: readonly Phase[] = [
  'initializing',
  'ready',
  'starting',
  'running',
  'shutting_down',
  'stopped',
  'failed',
];

const ORDER: Record<Phase, number> = {
  initializing: 0,
  ready: 1,
  starting: 2,
  running: 3,
  shutting_down: 4,
  stopped: 5,
  failed: 5,
};

/** True once the session can no longer serve requests. */
export function isTerminalPhase(phase: Phase): boolean {
  return phase === 'stopped' || phase === 'failed';
}

/** True while the daemon still answers on its socket. */
export function isLivePhase(phase: Phase): boolean {
  return !isTerminalPhase(phase) && phase !== 'shutting_down';
}

/**
 * Whether a session may move from `from` to `to`. Forward only, with two exceptions:
 * a failed browser start goes back from `failed` to `starting` on the next command,
 * and `failed` may still be followed by shutdown.
 */
export function canAdvance(from: Phase, to: Phase): boolean {
  if (from === to) return false;
  if (from === 'failed') return to === 'starting' || to === 'shutting_down' || to === 'stopped';
  if (to === 'failed') return !isTerminalPhase(from);
  return ORDER[to] > ORDER[from];
}

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}
