import { type DaemonConfig, defaultDaemonConfig } from '../../electron/daemon/daemon-config';
import { silentLogger } from '../../electron/daemon/logger';
import { SessionDaemon } from '../../electron/daemon/session-daemon';

/** Starts a real session daemon inside the test process, in `home`. */
export async function startInProcessDaemon(
  home: string,
  session = 'test',
  overrides: Partial<DaemonConfig> = {},
): Promise<SessionDaemon> {
  const config: DaemonConfig = { ...defaultDaemonConfig(session, home, process.env), ...overrides };
  const daemon = new SessionDaemon(config, silentLogger());
  await daemon.start();
  return daemon;
}
