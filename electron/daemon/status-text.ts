import type { StatusData } from '../../shared/protocol';

/** What `btray status` prints: the session at a glance, one fact a line. */
export function describeStatus(status: StatusData): string {
  const lines = [`session: ${status.session} (pid ${status.pid})`, `phase: ${status.phase}`];
  if (status.url !== null)
    lines.push(`page: ${status.title ? `${status.title} — ` : ''}${status.url}`);
  if (status.browser) {
    const kind = status.browser.launched ? `Chromium pid ${status.browser.pid}` : 'attached';
    lines.push(`browser: ${kind}, ${status.tabs} tab${status.tabs === 1 ? '' : 's'}`);
  }
  lines.push(
    status.keep_open
      ? 'idle timeout: paused (keep-open)'
      : `idle timeout: closes in ${formatSeconds(status.idle_seconds_left ?? 0)} without a command`,
  );
  const recording = status.recording;
  lines.push(
    recording?.active
      ? `recording: ${recording.path}, ${recording.elapsed_s.toFixed(0)} s, ${recording.frames} frames`
      : 'recording: no',
  );
  return lines.join('\n');
}

function formatSeconds(total: number): string {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes} min ${seconds} s` : `${seconds} s`;
}
