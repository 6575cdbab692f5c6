import { describe, expect, it } from 'vitest';
import { LaunchedProcess, OutputTail } from '../../electron/browser/process-launcher';
import { processGroupMembers, waitUntil } from '../helpers/processes';

describe('LaunchedProcess', () => {
  it('reports a program that cannot be spawned as exited, with the reason in its tail', async () => {
    const child = LaunchedProcess.start({ command: '/nonexistent/program', args: [] });
    const info = await child.exited;
    expect(info).toEqual({ code: null, signal: null });
    expect(child.stderrTail.text()).toContain('ENOENT');
    await expect(child.stop()).resolves.toEqual(info);
  });

  it('stops the whole process group, and is safe to call twice', async () => {
    // A shell that starts a grandchild: both must go.
    const child = LaunchedProcess.start({
      command: '/bin/sh',
      args: ['-c', 'sleep 30 & sleep 30; wait'],
    });
    const pid = child.pid as number;
    expect(await waitUntil(() => processGroupMembers(pid).length >= 2, 5000)).toBe(true);

    const [first, second] = await Promise.all([child.stop(1000), child.stop(1000)]);
    expect(first).toBe(second);
    expect(await waitUntil(() => processGroupMembers(pid).length === 0, 5000)).toBe(true);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const child = LaunchedProcess.start({
      command: '/bin/sh',
      args: ['-c', "trap '' TERM; sleep 30"],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const info = await child.stop(300);
    expect(info.signal).toBe('SIGKILL');
  });

  it('drains a chatty child so it never blocks, keeping its last lines', async () => {
    const child = LaunchedProcess.start({
      command: '/bin/sh',
      args: ['-c', 'i=0; while [ $i -lt 20000 ]; do echo "line $i" >&2; i=$((i+1)); done'],
    });
    const info = await child.exited;
    expect(info.code).toBe(0);
    expect(child.stderrTail.text().split('\n').at(-1)).toBe('line 19999');
  });
});

describe('OutputTail', () => {
  it('keeps only the last lines, joining chunks split mid-line', () => {
    const tail = new OutputTail(2);
    tail.push('one\ntw');
    tail.push('o\nthree\nfour');
    expect(tail.text()).toBe('two\nthree\nfour');
  });
});
