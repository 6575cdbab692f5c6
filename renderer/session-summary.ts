import { isActiveSession, isRecording, type SessionSnapshot } from '../shared/snapshot';

/**
 * The header's one line: how many sessions run and how many record. A session whose
 * process is gone counts as neither, whatever its last state file says.
 */
export function summarizeSessions(sessions: readonly SessionSnapshot[]): string {
  if (sessions.length === 0) return 'No session yet';
  const active = sessions.filter(isActiveSession);
  const recording = active.filter(isRecording).length;
  const parts = [active.length === 1 ? '1 session running' : `${active.length} sessions running`];
  if (recording > 0) parts.push(`${recording} recording`);
  return parts.join(' · ');
}
