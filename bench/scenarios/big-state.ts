import { type BenchContext, runBtray, type SessionClient } from '../context';
import { BIG_PAGE_ELEMENTS } from '../page-server';
import type { Peer } from '../peers/peer';
import { addPeer, makeRow, type Row } from '../report';
import { timeAction } from './socket';

/**
 * `state` on the generated page of 5,000 buttons: over the socket (the daemon's and the
 * page's work) and as a whole CLI process, next to each peer's snapshot of that page.
 */
export async function measureBigState(
  context: BenchContext,
  client: SessionClient,
  peers: readonly Peer[],
  rounds: number,
): Promise<Row[]> {
  await client.data('open', { url: context.pages.bigUrl });
  const first = await client.data<{ element_count: number }>('state');
  if (first.element_count !== BIG_PAGE_ELEMENTS) {
    throw new Error(`the big page lists ${first.element_count} elements, not ${BIG_PAGE_ELEMENTS}`);
  }

  const socket = await timeAction(client, 'state', {}, rounds);
  const cli: number[] = [];
  const theirs = new Map<string, number[]>(peers.map((peer) => [peer.name, []]));
  for (const peer of peers) {
    await peer.open(client.session, context.pages.bigUrl);
    await peer.snapshot(client.session);
  }
  for (let round = 0; round < rounds; round += 1) {
    const run = await runBtray(context, ['--session', client.session, 'state']);
    if (run.code !== 0) throw new Error(`btray state exited ${run.code}: ${run.stderr}`);
    cli.push(run.wallMs);
    for (const peer of peers)
      theirs.get(peer.name)?.push((await peer.snapshot(client.session)).wallMs);
  }
  for (const peer of peers) await peer.close(client.session);

  const socketRow = makeRow(
    'big.state.socket',
    `socket: state, ${BIG_PAGE_ELEMENTS} buttons`,
    'ms',
    socket,
  );
  const cliRow = makeRow(
    'big.state.cli',
    `CLI: \`btray state\`, ${BIG_PAGE_ELEMENTS} buttons`,
    'ms',
    cli,
  );
  for (const [name, samples] of theirs) {
    addPeer(socketRow, name, samples);
    addPeer(cliRow, name, samples);
  }
  return [socketRow, cliRow];
}
