import { type SessionStateFile, STATE_SCHEMA_VERSION } from '../../shared/state-file';

/**
 * A state file as a headless daemon writes it (running, no browser, this process's pid),
 * for the tests that stand in for a daemon; `overrides` set what the test is about.
 */
export function sampleStateFile(
  name: string,
  overrides: Partial<SessionStateFile> = {},
): SessionStateFile {
  return {
    schema: STATE_SCHEMA_VERSION,
    session: name,
    phase: 'running',
    pid: process.pid,
    updated_at: Date.now() / 1000,
    config: { headed: false, profile: null, cdp_url: null, use_cloud: false },
    host: 'headless',
    idle_timeout_s: 1800,
    keep_open: false,
    last_command_at: null,
    recording: null,
    browser_pid: null,
    ...overrides,
  };
}
