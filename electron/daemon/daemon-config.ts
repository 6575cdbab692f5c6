import type { SessionConfig } from '../../shared/protocol';
import type { LogLevel } from './logger';

/** Everything a session daemon needs, parsed once at start-up and passed in. */
export interface DaemonConfig {
  session: string;
  home: string;
  headed: boolean;
  /** A Chrome profile (folder or display name) of the installed Chrome. */
  profile: string | null;
  /** Attach to this browser instead of launching one. */
  cdpUrl: string | null;
  idleTimeoutMs: number;
  /** An explicit Chromium executable (embedders, tests); otherwise found by `findChrome`. */
  chromePath: string | null;
  /** An explicit ffmpeg executable; otherwise `ffmpeg` on PATH. */
  ffmpegPath: string | null;
  /** How long navigation waits for the load event. */
  navigationTimeoutMs: number;
  /**
   * How long any browser command without a deadline of its own (eval and wait have one)
   * may take before it is answered TIMEOUT and a page script hogging the tab is stopped.
   */
  commandTimeoutMs: number;
  logLevel: LogLevel;
  /** Who hosts this daemon, shown by the dashboard. */
  host: 'headless' | 'tray';
  /** Environment for child processes (Chromium, ffmpeg). */
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

export function defaultDaemonConfig(
  session: string,
  home: string,
  env: NodeJS.ProcessEnv,
): DaemonConfig {
  return {
    session,
    home,
    headed: false,
    profile: null,
    cdpUrl: null,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    // BROWSER_TRAY_CHROME is read by findChrome, which checks it and explains a bad value.
    chromePath: null,
    ffmpegPath: env.BROWSER_TRAY_FFMPEG ?? null,
    navigationTimeoutMs: 30_000,
    // Past a navigation's 30 s, with room for the slow work after it (a full-page screenshot).
    commandTimeoutMs: 90_000,
    logLevel: parseLogLevel(env.BROWSER_TRAY_LOG_LEVEL),
    host: 'headless',
    env,
  };
}

/** The session's configuration as the wire protocol and the state file show it. */
export function wireConfig(config: DaemonConfig): SessionConfig {
  return {
    headed: config.headed,
    profile: config.profile,
    cdp_url: config.cdpUrl,
    use_cloud: false,
  };
}

function parseLogLevel(value: string | undefined): LogLevel {
  const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];
  return levels.find((level) => level === value) ?? 'info';
}
