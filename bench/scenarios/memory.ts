import { spawn } from 'node:child_process';
import { type BenchContext, type SessionClient, sessionClient } from '../context';
import { BIG_PAGE_ELEMENTS } from '../page-server';
import { rssMiB } from '../proc';
import { makeRow, type Row } from '../report';

/** How long the daemons get to give memory back after the big state. */
const SETTLE_MS = 5000;

/**
 * `sessions` headless daemons at once, started as the CLI starts them (`node daemon.cjs`),
 * and the resident memory of each daemon process alone (Chromium is not counted): idle,
 * with a page open, right after `state` on the big page, and a few seconds later.
 */
export async function measureMemory(context: BenchContext, sessions: number): Promise<Row[]> {
  const names = Array.from({ length: sessions }, (_, i) => `mem-${i + 1}`);
  for (const name of names) {
    // What the CLI's spawn does, but ours to watch: the bench closes them at the end.
    const child = spawn(process.execPath, [context.daemon, '--session', name], {
      env: context.env,
      stdio: 'ignore',
    });
    child.unref();
  }
  const clients = await Promise.all(names.map((name) => waitForSession(context, name)));
  const pids = await Promise.all(clients.map((client) => client.pid()));
  const sample = async (): Promise<number[]> =>
    (await Promise.all(pids.map((pid) => rssMiB(pid)))).map((mib) => mib ?? Number.NaN);

  const idle = await sample();

  // One after another, as five agents would not all start at the same instant.
  for (const client of clients) {
    await client.data('open', { url: context.pages.formUrl });
    await client.data('state');
  }
  const page = await sample();

  for (const client of clients) {
    await client.data('open', { url: context.pages.bigUrl });
    await client.data('state');
  }
  const afterBig = await sample();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const settled = await sample();

  for (const client of clients) await client.send('shutdown');

  const total = (values: number[]) =>
    `${values.reduce((a, b) => a + b, 0).toFixed(0)} MiB for ${sessions}`;
  return [
    makeRow(
      'memory.idle',
      `daemon RSS, ${sessions} sessions: no browser yet`,
      'MiB',
      idle,
      total(idle),
    ),
    makeRow('memory.page', `daemon RSS, ${sessions} sessions: page open`, 'MiB', page, total(page)),
    makeRow(
      'memory.big',
      `daemon RSS, ${sessions} sessions: right after state on ${BIG_PAGE_ELEMENTS}`,
      'MiB',
      afterBig,
      total(afterBig),
    ),
    makeRow(
      'memory.settled',
      `daemon RSS, ${sessions} sessions: ${SETTLE_MS / 1000} s after that state`,
      'MiB',
      settled,
      total(settled),
    ),
  ];
}

/** Polls until the session's daemon answers a ping; returns its client. */
async function waitForSession(context: BenchContext, name: string): Promise<SessionClient> {
  const deadline = Date.now() + 20_000;
  let problem = 'no answer';
  while (Date.now() < deadline) {
    try {
      const client = sessionClient(context, name);
      const response = await client.send('ping');
      if (response.success) return client;
      problem = response.error;
    } catch (error) {
      // The token file or the socket is not there yet.
      problem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`session ${name} did not start: ${problem}`);
}
