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
  client: SessionClient,
  action: string,
  params: Record<string, unknown>,
  count: number,
): Promise<number[]> {
  for (let i = 0; i < Math.min(10, count); i += 1) await client.data(action, params);

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
