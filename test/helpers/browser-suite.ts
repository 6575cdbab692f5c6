import { afterAll, beforeAll } from 'vitest';
import type { DaemonConfig } from '../../electron/daemon/daemon-config';
import type { SessionDaemon } from '../../electron/daemon/session-daemon';
import { type FixtureServer, startFixtureServer } from './fixture-server';
import { startInProcessDaemon } from './in-process-daemon';
import { makeTempHome } from './temp-home';

/** What a suite of browser-command tests shares: a home, the fixture server, a daemon. */
export interface BrowserSuite {
  readonly home: string;
  readonly session: string;
  readonly fixtures: FixtureServer;
  readonly daemon: SessionDaemon;
}

/**
 * Registers the suite's hooks: a temporary home, a fixture server and an in-process
 * daemon before the tests; all three gone after them.
 */
export function registerBrowserSuite(
  session: string,
  overrides: Partial<DaemonConfig> = {},
): BrowserSuite {
  const temp = makeTempHome();
  let fixtures: FixtureServer | undefined;
  let daemon: SessionDaemon | undefined;

  beforeAll(async () => {
    fixtures = await startFixtureServer();
    daemon = await startInProcessDaemon(temp.home, session, overrides);
  });

  afterAll(async () => {
    await daemon?.requestShutdown('suite finished');
    await fixtures?.close();
    temp.remove();
  });

  return {
    home: temp.home,
    session,
    get fixtures() {
      if (!fixtures) throw new Error('the fixture server starts in beforeAll');
      return fixtures;
    },
    get daemon() {
      if (!daemon) throw new Error('the daemon starts in beforeAll');
      return daemon;
    },
  };
}

/** The index `state` printed for the first line that contains `needle`. */
export function indexInState(stateText: string, needle: string): number {
  const line = stateText.split('\n').find((candidate) => candidate.includes(needle));
  const match = line ? /\[(\d+)\]/.exec(line) : null;
  if (!match?.[1]) throw new Error(`no element with ${needle} in state:\n${stateText}`);
  return Number(match[1]);
}
