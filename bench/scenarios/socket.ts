import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sendRequest } from '../../electron/daemon/socket-client';
import type { SessionClient } from '../context';
import { elapsedMs } from '../proc';
import { makeRow, type Row } from '../report';

export interface SocketCounts {
  /** Requests per cheap action (ping, status). */
  control: number;
  /** Requests per page action (eval, get title, click). */
  page: number;
  /** `state` requests. */
  state: number;
}

/** Timings of one action sent `count` times in a row, after a few unmeasured ones. */
export async function timeAction(
  client: Pick<SessionClient, 'send'>,
  action: string,
  params: Record<string, unknown>,
  count: number,
): Promise<number[]> {
  for (let i = 0; i < Math.min(10, count); i += 1) await client.send(action, params);

  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    const response = await client.send(action, params);
    samples.push(elapsedMs(started));
    if (!response.success) throw new Error(`${action} failed: ${response.code} ${response.error}`);
  }
  return samples;
}

/**
 * Round trips over the session socket from a client in this process (connect, write one
 * line, read one line, close), on the form fixture. The page must be open already.
 */
export async function measureSocket(client: SessionClient, counts: SocketCounts): Promise<Row[]> {
  const rows: Row[] = [];
  const add = async (
    id: string,
    label: string,
    action: string,
    params: Record<string, unknown>,
    count: number,
  ): Promise<void> => {
    rows.push(makeRow(id, label, 'ms', await timeAction(client, action, params, count)));
  };

  await add('socket.ping', 'socket: ping', 'ping', {}, counts.control);
  await add('socket.status', 'socket: status', 'status', {}, counts.control);
  await add('socket.eval', 'socket: eval 1+1', 'eval', { js: '1+1' }, counts.page);
  await add('socket.title', 'socket: get title', 'get', { get_command: 'title' }, counts.page);
  await add('socket.state', 'socket: state (form page)', 'state', {}, counts.state);

  const index = await buttonIndex(client, 'Greet');
  await add('socket.click', 'socket: click by index', 'click', { args: [index] }, counts.page);
  return rows;
}

/** The index `state` gives the button labelled `label`. */
async function buttonIndex(client: SessionClient, label: string): Promise<number> {
  const state = await client.data<{ _raw_text: string }>('state');
  const line = state._raw_text.split('\n').find((text) => text.includes(`>${label}</button>`));
  const match = line ? /\[(\d+)\]/.exec(line) : null;
  if (!match) throw new Error(`no button "${label}" in the state:\n${state._raw_text}`);
  return Number(match[1]);
}

/** A bare Node server that answers every line with a fixed success: the floor of a round trip. */
const ECHO_SERVER = `
const net = require('node:net');
const server = net.createServer((socket) => {
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk;
    const end = text.indexOf('\\n');
    if (end === -1) return;
    const { id } = JSON.parse(text.slice(0, end));
    socket.end(JSON.stringify({ id, success: true, data: {} }) + '\\n');
  });
});
server.listen(process.argv[1], () => process.stdout.write('ready\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * The same client against a bare Node server in its own process: what a connection per
 * request costs on this machine before the daemon does anything.
 */
export async function measureSocketFloor(scratch: string, count: number): Promise<Row> {
  const path = join(scratch, 'floor.sock');
  const server = spawn(process.execPath, ['-e', ECHO_SERVER, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
    });
    const send = (action: string, params: Record<string, unknown> = {}) =>
      sendRequest(path, 'none', action, params);
    const samples = await timeAction({ send }, 'ping', {}, count);
    return makeRow('socket.floor', 'floor: bare Node socket server, one line', 'ms', samples);
  } finally {
    // Closing its stdin ends it; our only handle on it besides its PID.
    server.stdin.end();
  }
}
