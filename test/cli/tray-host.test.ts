import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { sessionPaths } from '../../electron/daemon/paths';
import { readStateFile } from '../../electron/daemon/state-file';
import { HostControlServer } from '../../electron/host/host-control-server';
import { SessionHost } from '../../electron/host/session-host';
import type { StatusData } from '../../shared/protocol';
import { btray } from '../helpers/cli';
import { requestData } from '../helpers/session-client';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
let host: SessionHost;
let control: HostControlServer;

beforeAll(async () => {
  host = new SessionHost({ home: temp.home, env: process.env, log: silentLogger() });
  control = new HostControlServer({ home: temp.home, host, log: silentLogger() });
  await control.start();
});

afterAll(async () => {
  await host?.stopAll(20_000);
  control?.close();
  temp.remove();
});

describe('the CLI with a tray host running', () => {
  it('lands a new session in the tray process instead of spawning a daemon', async () => {
    const result = await btray(temp.home, ['--session', 'work', 'eval', '6 * 7']);
    expect(result).toMatchObject({ code: 0, stdout: '42\n', stderr: '' });

    const status = await requestData<StatusData>(temp.home, 'work', 'status');
    expect(status.pid).toBe(process.pid);
    const read = readStateFile(sessionPaths(temp.home, 'work').state);
    expect(read.ok && read.state.host).toBe('tray');
  });

  it('closing a hosted session from the CLI leaves the tray host running', async () => {
    const closed = await btray(temp.home, ['--session', 'work', 'close']);
    expect(closed.stdout).toContain('Closed session "work"');
    expect(host.list().map((session) => session.session)).not.toContain('work');

    const again = await btray(temp.home, ['--session', 'work', 'eval', '1 + 1']);
    expect(again.stdout).toBe('2\n');
  });
});
