import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readTokenFile } from '../../electron/daemon/auth-token';
import { sessionPaths } from '../../electron/daemon/paths';
import type { Response } from '../../shared/protocol';
import { registerBrowserSuite } from '../helpers/browser-suite';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('cancels');
const home = suite.home;

interface RawClient {
  /** The answer, or undefined when the connection ended without one. */
  answer: Promise<Response | undefined>;
  /** Goes away as a killed process does: the whole connection closes. */
  vanish(): void;
  /** Half-closes: no more requests, but still reading. */
  endWriting(): void;
}

/** A client on a bare socket, so the test decides how its connection ends. */
function rawClient(action: string, params: Record<string, unknown>, cancel: boolean): RawClient {
  const paths = sessionPaths(home, 'cancels');
  const line = JSON.stringify({
    id: `raw-${action}`,
    action,
    params,
    token: readTokenFile(paths.token),
    ...(cancel ? { cancel_on_disconnect: true } : {}),
  });
  const socket = createConnection(paths.socket);
  socket.write(`${line}\n`);

  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  const answer = new Promise<Response | undefined>((resolve) => {
    socket.on('close', () => resolve(received ? (JSON.parse(received) as Response) : undefined));
    socket.on('error', () => undefined);
  });
  return { answer, vanish: () => socket.destroy(), endWriting: () => socket.end() };
}

async function timedEval(js: string): Promise<{ value: unknown; ms: number }> {
  const started = Date.now();
  const data = await requestData<{ result: unknown }>(home, 'cancels', 'eval', { js });
  return { value: data.result, ms: Date.now() - started };
}

describe('a client that goes away before its answer', () => {
  it('stops its wait within a second, and the next command runs at once', async () => {
    await requestData(home, 'cancels', 'open', { url: suite.fixtures.url('form.html') });
    const waiting = rawClient(
      'wait',
      { wait_command: 'text', text: 'never shown', timeout: 20_000 },
      true,
    );
    await delay(300);
    waiting.vanish();

    const next = await timedEval('1 + 1');
    expect(next.value).toBe(2);
    // Behind the 20 s wait, this would take 20 s.
    expect(next.ms).toBeLessThan(5000);
    expect(await waiting.answer).toBeUndefined();
  });

  it('stops waiting for its eval promise', async () => {
    const stuck = rawClient('eval', { js: 'new Promise(() => {})', timeout: 20_000 }, true);
    await delay(300);
    stuck.vanish();

    const next = await timedEval('"free"');
    expect(next.value).toBe('free');
    expect(next.ms).toBeLessThan(5000);
  });

  it('has a command still in the queue skipped: it never runs', async () => {
    await requestData(home, 'cancels', 'eval', { js: 'delete window.ran; 1' });
    const ahead = request(home, 'cancels', 'eval', {
      js: 'new Promise((resolve) => setTimeout(() => resolve("done"), 1500))',
    });
    await delay(200);
    const queued = rawClient('eval', { js: 'window.ran = true' }, true);
    await delay(300);
    queued.vanish();

    expect(await ahead).toMatchObject({ success: true, data: { result: 'done' } });
    expect((await timedEval('typeof window.ran')).value).toBe('undefined');
  });

  it('is not taken to be gone without cancel_on_disconnect: a half-closed client gets its answer', async () => {
    const client = rawClient(
      'eval',
      { js: 'new Promise((resolve) => setTimeout(() => resolve(7), 800))' },
      false,
    );
    client.endWriting();

    expect(await client.answer).toMatchObject({
      id: 'raw-eval',
      success: true,
      data: { result: 7 },
    });
  });
});
