import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askTrayHost, type TrayHostRequest } from '../../electron/daemon/host-control-client';
import { hostControlPaths } from '../../electron/daemon/host-control-paths';
import { silentLogger } from '../../electron/daemon/logger';
import { exchange, sendRequest } from '../../electron/daemon/socket-client';
import { HostControlServer } from '../../electron/host/host-control-server';
import { SessionHost } from '../../electron/host/session-host';
import { isTrayError } from '../../shared/errors';
import type { HostedSessionData, HostPingData } from '../../shared/host-control';
import type { PingData, Response } from '../../shared/protocol';
import { askSession, daemonEnv, makeHome, statePhase, waitFor, waitForExit } from './host-test-kit';

let home: string;
let host: SessionHost;
let servers: HostControlServer[];
const children: ChildProcess[] = [];

beforeEach(() => {
  home = makeHome('ctl');
  host = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
  servers = [];
});

afterEach(async () => {
  for (const server of servers) server.close();
  await host.stopAll(20_000);
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await waitForExit(child);
  }
  rmSync(home, { recursive: true, force: true });
});

async function startControl(): Promise<HostControlServer> {
  const server = new HostControlServer({ home, host, log: silentLogger() });
  servers.push(server);
  await server.start();
  return server;
}

function request(session: string, overrides: Partial<TrayHostRequest> = {}): TrayHostRequest {
  return { session, headed: false, profile: null, cdpUrl: null, idleTimeoutS: null, ...overrides };
}

function control(action: string, params: Record<string, unknown> = {}): Promise<Response> {
  const paths = hostControlPaths(home);
  return sendRequest(paths.socket, readFileSync(paths.token, 'utf8'), action, params, {
    timeoutMs: 30_000,
  });
}

/** A host that died without cleaning up: its socket file and token stay behind. */
async function leaveStaleHostFiles(): Promise<void> {
  const paths = hostControlPaths(home);
  const script = `require('fs').writeFileSync(${JSON.stringify(paths.token)}, 'a'.repeat(64));
    require('net').createServer().listen(${JSON.stringify(paths.socket)}, () => console.log('up'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  child.kill('SIGKILL');
  await waitForExit(child);
}

describe('askTrayHost', () => {
  it('answers no-host at once when no tray host ever ran', async () => {
    const started = performance.now();
    const answer = await askTrayHost(home, request('work'));
    const elapsedMs = performance.now() - started;

    expect(answer).toBe('no-host');
    // Far below the 1 s ping timeout: nothing was waited for.
    expect(elapsedMs).toBeLessThan(800);
  });

  it('answers no-host quickly when a crashed host left its socket and token', async () => {
    await leaveStaleHostFiles();
    expect(existsSync(hostControlPaths(home).socket)).toBe(true);

    const started = performance.now();
    const answer = await askTrayHost(home, request('work'));
    const elapsedMs = performance.now() - started;

    expect(answer).toBe('no-host');
    expect(elapsedMs).toBeLessThan(800);
  });

  it('has the running tray host create the session, ready on its socket', async () => {
    await startControl();

    const answer = await askTrayHost(home, request('work', { idleTimeoutS: 90 }));

    expect(answer).toBe('created');
    expect(host.list().map((session) => session.session)).toEqual(['work']);
    const ping = await askSession(home, 'work', 'ping');
    expect(ping.success && (ping.data as PingData).session).toBe('work');
    expect(statePhase(home, 'work')).toBe('ready');
    const state = JSON.parse(readFileSync(`${home}/work.state.json`, 'utf8'));
    expect(state).toMatchObject({ host: 'tray', idle_timeout_s: 90 });
  });

  it('passes the host refusal back with its code', async () => {
    await startControl();
    await host.create('taken');

    const taken = await askTrayHost(home, request('taken'));
    const badName = await askTrayHost(home, request('no/slash'));

    expect(taken).toMatchObject({ code: 'BAD_REQUEST', error: expect.stringMatching(/already/) });
    expect(badName).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('HostControlServer', () => {
  it('binds owner-only files and answers ping, list_sessions and stop_session', async () => {
    const server = await startControl();
    await host.create('listed');

    const ping = await control('ping');
    const list = await control('list_sessions');
    const stop = await control('stop_session', { session: 'listed' });

    expect(statSync(server.paths.socket).mode & 0o777).toBe(0o600);
    expect(statSync(server.paths.token).mode & 0o777).toBe(0o600);
    expect(ping.success && (ping.data as HostPingData)).toEqual({
      host: 'tray',
      pid: process.pid,
      sessions: ['listed'],
    });
    const sessions = list.success ? (list.data as { sessions: HostedSessionData[] }).sessions : [];
    expect(sessions.map((session) => [session.session, session.phase])).toEqual([
      ['listed', 'ready'],
    ]);
    expect(stop).toMatchObject({ success: true, data: { session: 'listed', phase: 'stopped' } });
    expect(host.has('listed')).toBe(false);
  });

  it('refuses a wrong token, an unknown action and bad params with their codes', async () => {
    const server = await startControl();

    const wrongToken = await exchange(
      server.paths.socket,
      `${JSON.stringify({ id: '1', action: 'create_session', token: 'f'.repeat(64) })}\n`,
    );
    const unknown = await control('launch_missiles');
    const badIdle = await control('create_session', { session: 'x', idle_timeout_s: -5 });
    const badHeaded = await control('create_session', { session: 'x', headed: 'yes' });
    const stopUnknown = await control('stop_session', { session: 'ghost' });

    expect(wrongToken).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
    expect(unknown).toMatchObject({ success: false, code: 'UNKNOWN_ACTION' });
    expect(badIdle).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(badHeaded).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(stopUnknown).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(host.list()).toEqual([]);
  });

  it('refuses to bind over a live tray host and leaves it working', async () => {
    const first = await startControl();
    const token = readFileSync(first.paths.token, 'utf8');
    const otherHost = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
    const second = new HostControlServer({ home, host: otherHost, log: silentLogger() });

    const error = await second.start().then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(isTrayError(error, 'BAD_REQUEST')).toBe(true);
    expect(readFileSync(first.paths.token, 'utf8')).toBe(token);
    expect((await control('ping')).success).toBe(true);
  });

  it('replaces the files of a host that crashed', async () => {
    await leaveStaleHostFiles();

    await startControl();

    expect(await askTrayHost(home, request('after-crash'))).toBe('created');
  });

  it('removes its token on close, after which clients see no host', async () => {
    const server = await startControl();

    server.close();
    await waitFor('socket file removal', () => !existsSync(server.paths.socket), 2000);

    expect(existsSync(server.paths.token)).toBe(false);
    expect(await askTrayHost(home, request('late'))).toBe('no-host');
  });
});
