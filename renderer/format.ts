import type { Phase } from '../shared/phases';

const PHASE_LABELS: Record<Phase, string> = {
  initializing: 'initializing',
  ready: 'ready',
  starting: 'launching',
  running: 'running',
  shutting_down: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
};

/** The phase in the words the badge shows. */
export function phaseLabel(phase: Phase): string {
  return PHASE_LABELS[phase];
}

/** `4:07`, `12:00`, `1:02:03`: a clock reading, as people read countdowns. */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  if (hours === 0) return `${minutes}:${rest}`;
  return `${hours}:${String(minutes).padStart(2, '0')}:${rest}`;
}

/** The same span in words, for screen readers: `4 minutes 7 seconds`. */
export function spokenDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (minutes > 0) parts.push(plural(minutes, 'minute'));
  if (hours === 0) parts.push(plural(seconds % 60, 'second'));
  return parts.join(' ');
}

/** The last path segment, whichever separator the host used. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** `1.4 MB`: sizes as a file manager shows them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A URL without its scheme, for a compact line; the full one goes in a tooltip. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
