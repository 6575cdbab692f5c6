import { statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTokenFile } from '../../electron/daemon/auth-token';
import type { SessionDaemon } from '../../electron/daemon/session-daemon';
import { exchange, sendRequest } from '../../electron/daemon/socket-client';
import { readStateFile } from '../../electron/daemon/state-file';
import { MAX_REQUEST_BYTES, type StatusData } from '../../shared/protocol';
import { startInProcessDaemon } from '../helpers/in-process-daemon';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
let daemon: SessionDaemon;
let token: string;

const socket = () => daemon.paths.socket;
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

beforeAll(async () => {
  daemon = await startInProcessDaemon(temp.home, 'proto', { idleTimeoutMs: 600_000 });
  token = readTokenFile(daemon.paths.token);
});

afterAll(async () => {
  await daemon?.requestShutdown('suite finished');
  temp.remove();
});

describe('files in the home folder', () => {
  it('keeps the home folder, socket and token for the owner alone', () => {
    expect(statSync(temp.home).mode & 0o777).toBe(0o700);
    expect(statSync(daemon.paths.socket).mode & 0o777).toBe(0o600);
    expect(statSync(daemon.paths.token).mode & 0o777).toBe(0o600);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes the PID file and a versioned state file at phase ready', () => {
    const read = readStateFile(daemon.paths.state);
    expect(read.ok && read.state).toMatchObject({
      schema: 1,
      phase: 'ready',
      pid: process.pid,
      session: 'proto',
    });
  });
});

describe('authentication', () => {
  it('refuses a wrong token and runs nothing: no browser is started', async () => {
    const response = await sendRequest(socket(), 'f'.repeat(64), 'open', { url: 'about:blank' });
    expect(response).toMatchObject({ success: false, error: 'Unauthorized', code: 'UNAUTHORIZED' });
    const status = await sendRequest(socket(), token, 'status');
    expect(status.success && (status.data as StatusData).browser).toBeNull();
  });

  it('refuses a missing token, and keeps the request id in the answer', async () => {
    const response = await exchange(socket(), line({ id: 'abc', action: 'ping', params: {} }));
    expect(response).toMatchObject({ id: 'abc', success: false, code: 'UNAUTHORIZED' });
  });

  it('refuses a token of the wrong type', async () => {
    const response = await exchange(socket(), line({ id: '1', action: 'ping', token: 12345 }));
    expect(response).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with Invalid JSON', async () => {
    const response = await exchange(socket(), '{"id": 1, "action": \n');
    expect(response).toMatchObject({ success: false, code: 'INVALID_JSON' });
    expect(response.success ? '' : response.error).toMatch(/^Invalid JSON: /);
  });

  it('answers an unknown action by name', async () => {
    const response = await sendRequest(socket(), token, 'fly');
    expect(response).toMatchObject({
      success: false,
      error: 'Unknown action: fly',
      code: 'UNKNOWN_ACTION',
    });
  });

  it('names the field of bad params, before any browser starts', async () => {
    const click = await sendRequest(socket(), token, 'click', {});
    expect(click).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(click.success ? '' : click.error).toMatch(/^click: /);

    const input = await sendRequest(socket(), token, 'input', { index: 'x', text: 'a' });
    expect(input.success ? '' : input.error).toMatch(/^input: index: /);

    const scroll = await sendRequest(socket(), token, 'scroll', { direction: 'sideways' });
    expect(scroll.success ? '' : scroll.error).toMatch(/^scroll: direction: /);

    const params = await exchange(socket(), line({ id: '1', action: 'ping', params: [1], token }));
    expect(params).toMatchObject({ success: false, code: 'BAD_REQUEST' });

    const status = await sendRequest(socket(), token, 'status');
    expect(status.success && (status.data as StatusData).browser).toBeNull();
  });

  it('points python to eval and says extract is not supported', async () => {
    const python = await sendRequest(socket(), token, 'python', { code: 'print(1)' });
    expect(python).toMatchObject({ success: false, code: 'NOT_SUPPORTED' });
    expect(python.success ? '' : python.error).toContain('eval');
    const extract = await sendRequest(socket(), token, 'extract', { query: 'x' });
    expect(extract).toMatchObject({ success: false, code: 'NOT_SUPPORTED' });
  });

  it('drops a 10 MB line without a newline, answering that it is too large', async () => {
    const answer = await new Promise<string>((resolve) => {
      const client = createConnection(socket());
      let text = '';
      client.on('data', (chunk) => {
        text += chunk.toString();
      });
      client.on('close', () => resolve(text));
      client.on('error', () => resolve(text));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!client.write(chunk)) {
            client.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    expect(answer).toContain(`Request larger than ${MAX_REQUEST_BYTES} bytes`);
    const ping = await sendRequest(socket(), token, 'ping');
    expect(ping.success).toBe(true);
  });

  it('serves other clients while one stays silent, and times the silent one out', async () => {
    const silent = createConnection(socket());
    const closed = new Promise<string>((resolve) => {
      let text = '';
      silent.on('data', (chunk) => {
        text += chunk.toString();
      });
      silent.on('close', () => resolve(text));
    });
    await new Promise((resolve) => silent.once('connect', resolve));

    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const ping = await sendRequest(socket(), token, 'ping', {}, { timeoutMs: 2000 });
      expect(ping.success).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await closed).toContain('No request within');
  }, 20_000);
});

describe('control actions', () => {
  it('ping names the session and its configuration', async () => {
    const ping = await sendRequest(socket(), token, 'ping');
    expect(ping).toMatchObject({
      success: true,
      data: {
        session: 'proto',
        pid: process.pid,
        headed: false,
        profile: null,
        cdp_url: null,
        use_cloud: false,
      },
    });
  });

  it('keep_open pauses the idle countdown and shows it in status and the state file', async () => {
    const on = await sendRequest(socket(), token, 'keep_open', { on: true });
    expect(on).toMatchObject({ success: true, data: { keep_open: true } });
    const status = await sendRequest(socket(), token, 'status');
    expect(status.success && status.data).toMatchObject({
      keep_open: true,
      idle_seconds_left: null,
    });
    const read = readStateFile(daemon.paths.state);
    expect(read.ok && read.state.keep_open).toBe(true);

    await sendRequest(socket(), token, 'keep_open', { on: false });
    const after = await sendRequest(socket(), token, 'status');
    expect(after.success && (after.data as StatusData).idle_seconds_left).toBeGreaterThan(590);

    const bad = await sendRequest(socket(), token, 'keep_open', { on: 'yes' });
    expect(bad).toMatchObject({ success: false, code: 'BAD_REQUEST' });
  });
});

describe('status of a page', () => {
  it('reports the current title, also after the page changes it', async () => {
    await sendRequest(socket(), token, 'open', { url: 'data:text/html,<title>First</title>x' });
    const first = await sendRequest(socket(), token, 'status');
    expect(first.success && first.data).toMatchObject({ title: 'First', phase: 'running' });

    await sendRequest(socket(), token, 'eval', { js: 'document.title = "Second"' });
    const second = await sendRequest(socket(), token, 'status');
    expect(second.success && second.data).toMatchObject({ title: 'Second' });
  });
});

describe('framing', () => {
  it('answers a line sent without a newline when the client half-closes', async () => {
    const answer = await new Promise<string>((resolve) => {
      const client = createConnection(socket(), () => {
        client.end(JSON.stringify({ id: 'half', action: 'ping', params: {}, token }));
      });
      let text = '';
      client.on('data', (chunk) => {
        text += chunk.toString();
      });
      client.on('close', () => resolve(text));
    });
    expect(JSON.parse(answer)).toMatchObject({ id: 'half', success: true });
  });

  it('runs only the first line of a connection', async () => {
    const first = line({ id: 'one', action: 'keep_open', params: { on: false }, token });
    const second = line({ id: 'two', action: 'keep_open', params: { on: true }, token });
    const answer = await exchange(socket(), first + second);
    expect(answer).toMatchObject({ id: 'one', success: true });
    const status = await sendRequest(socket(), token, 'status');
    expect(status.success && (status.data as StatusData).keep_open).toBe(false);
  });
});
