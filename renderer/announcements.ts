import type { DashboardSnapshot, SessionSnapshot } from '../shared/snapshot';
import { phaseLabel } from './format';

/**
 * What changed between two snapshots, in words for a screen reader: sessions that came
 * or went, phase changes, recordings started or finished. Countdowns are left out: a
 * voice reading a clock every second helps nobody.
 */
export function describeChanges(before: DashboardSnapshot, after: DashboardSnapshot): string {
  const previous = new Map(before.sessions.map((session) => [session.name, session]));
  const current = new Set(after.sessions.map((session) => session.name));
  const lines: string[] = [];

  for (const session of after.sessions) {
    const old = previous.get(session.name);
    if (!old) lines.push(`Session ${session.name} appeared, ${phaseLabel(session.phase)}.`);
    else lines.push(...sessionChanges(old, session));
  }
  for (const name of previous.keys()) {
    if (!current.has(name)) lines.push(`Session ${name} is no longer listed.`);
  }
  return lines.join(' ');
}

function sessionChanges(old: SessionSnapshot, now: SessionSnapshot): string[] {
  const lines: string[] = [];
  if (old.phase !== now.phase) lines.push(`${now.name} is ${phaseLabel(now.phase)}.`);
  if (!old.unresponsive && now.unresponsive) lines.push(`${now.name} does not respond.`);
  if (!old.recording?.active && now.recording?.active) lines.push(`${now.name} is recording.`);
  if (old.recording?.active && !now.recording?.active) {
    lines.push(`${now.name} finished recording.`);
  }
  if (old.keep_open !== now.keep_open) {
    lines.push(now.keep_open ? `${now.name} is kept open.` : `${now.name} idle timer resumed.`);
  }
  return lines;
}
