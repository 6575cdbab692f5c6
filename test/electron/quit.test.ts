import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupQuit } from '../../electron/app-quit';
import { silentLogger } from '../../electron/daemon/logger';
import { SessionHost } from '../../electron/host/session-host';
import type { Phase } from '../../shared/phases';
import type { StatusData } from '../../shared/protocol';
import {
  askSession,
  daemonEnv,
  hostFrozenBrowser,
  makeHome,
  processAlive,
  statePhase,
  waitFor,
} from '../host/host-test-kit';
import { app, dialog, type Preventable, resetStandIn } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let home: string;
let host: SessionHost;
let quit: ReturnType<typeof setupQuit>;
let steps: string[];
/** The phase of every hosted session at the moment `app.exit` was called. */
let phasesAtExit: Record<string, Phase | undefined> | undefined;

function wire(deadlineMs = 20_000): void {
  quit = setupQuit({
    host,
    deadlineMs,
    beforeStop: () => steps.push('beforeStop'),
    afterStop: () => steps.push('afterStop'),
    log: silentLogger(),
  });
}

beforeEach(() => {
  resetStandIn();
  home = makeHome('quit');
  host = new SessionHost({ home, env: daemonEnv(home), log: silentLogger() });
  steps = [];
  phasesAtExit = undefined;
  app.on('stand-in:exit', () => {
    steps.push('exit');
    phasesAtExit = Object.fromEntries(
      ['browsing', 'idle'].map((name) => [name, statePhase(home, name)]),
    );
  });
});

afterEach(async () => {
  quit.dispose();
  await host.stopAll(20_000);
  rmSync(home, { recursive: true, force: true });
});

async function browserPid(name: string): Promise<number> {
  await askSession(home, name, 'open', { url: 'data:text/html,<p>open</p>' });
  const status = await askSession(home, name, 'status');
  const pid = status.success ? (status.data as StatusData).browser?.pid : undefined;
  if (typeof pid !== 'number') throw new Error('the browser did not start');
  return pid;
}

describe('quit sequence', () => {
  it('asks first while a browser is open; Cancel stops nothing', async () => {
    wire();
    await host.create('browsing');
    const pid = await browserPid('browsing');
    dialog.nextResponse = 1;

    const outcome = await quit.sequence.requestQuit(true);

    expect(outcome).toBe('cancelled');
    expect(dialog.messageBoxes).toHaveLength(1);
    expect(String(dialog.messageBoxes[0]?.detail)).toContain('browsing');
    expect(app.quitCalls).toBe(0);
    expect(app.exitCodes).toEqual([]);
    expect(statePhase(home, 'browsing')).toBe('running');
    expect(processAlive(pid)).toBe(true);
    expect((await askSession(home, 'browsing', 'ping')).success).toBe(true);
    expect(quit.sequence.stage).toBe('running');
  });

  it('stops nothing when the platform cancels the quit before will-quit', async () => {
    wire();
    await host.create('idle');
    app.on('before-quit', (event: Preventable) => event.preventDefault());

    const outcome = await quit.sequence.requestQuit(true);

    expect(outcome).toBe('quitting');
    expect(app.quitCalls).toBe(1);
    expect(steps).toEqual([]);
    expect(statePhase(home, 'idle')).toBe('ready');
    expect(host.has('idle')).toBe(true);
  });

  it('stops every hosted session gracefully before it exits', async () => {
    wire();
    await host.create('browsing');
    await host.create('idle');
    const pid = await browserPid('browsing');
    dialog.nextResponse = 0;

    const outcome = await quit.sequence.requestQuit(true);
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);

    expect(outcome).toBe('quitting');
    expect(steps).toEqual(['beforeStop', 'afterStop', 'exit']);
    expect(phasesAtExit).toEqual({ browsing: 'stopped', idle: 'stopped' });
    expect(app.exitCodes).toEqual([0]);
    expect(processAlive(pid)).toBe(false);
    expect(host.list()).toEqual([]);
  });

  it('exits at the deadline even when a session is still closing its browser', async () => {
    wire(500);
    await hostFrozenBrowser(host, home, 'browsing');

    const started = Date.now();
    await quit.sequence.requestQuit(false);
    await waitFor('app.exit', () => app.exitCodes.length > 0, 10_000);
    const elapsedMs = Date.now() - started;

    expect(dialog.messageBoxes).toEqual([]);
    expect(phasesAtExit?.browsing).toBe('shutting_down');
    expect(elapsedMs).toBeLessThan(2000);
    // The session still finishes its own shutdown afterwards (in a real app, the process is gone).
    await waitFor('browsing to stop', () => statePhase(home, 'browsing') === 'stopped', 20_000);
  });

  it('quits on SIGTERM without asking, and ignores a second Quit meanwhile', async () => {
    wire();
    await host.create('browsing');
    await browserPid('browsing');

    process.emit('SIGTERM', 'SIGTERM');
    const second = await quit.sequence.requestQuit(true);
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);

    expect(second).toBe('ignored');
    expect(dialog.messageBoxes).toEqual([]);
    expect(app.exitCodes).toEqual([0]);
    expect(phasesAtExit?.browsing).toBe('stopped');
  });

  it('quits on a signal while the question is open, and ignores the answer after', async () => {
    wire();
    await host.create('browsing');
    await browserPid('browsing');
    dialog.holdAnswers = true;

    const asked = quit.sequence.requestQuit(true);
    await waitFor('the question', () => dialog.messageBoxes.length === 1);
    process.emit('SIGTERM', 'SIGTERM');
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);
    dialog.answer(1);

    expect(await asked).toBe('ignored');
    expect(app.exitCodes).toEqual([0]);
    expect(phasesAtExit?.browsing).toBe('stopped');
    expect(quit.sequence.stage).toBe('exiting');
  });

  it('does not ask when no hosted session has a browser open', async () => {
    wire();
    await host.create('idle');

    await quit.sequence.requestQuit(true);
    await waitFor('app.exit', () => app.exitCodes.length > 0, 30_000);

    expect(dialog.messageBoxes).toEqual([]);
    expect(phasesAtExit?.idle).toBe('stopped');
  });
});
