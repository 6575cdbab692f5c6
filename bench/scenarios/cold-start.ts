import { type BenchContext, btrayOk } from '../context';
import type { Peer } from '../peers/peer';
import { addPeer, makeRow, type Row } from '../report';

/**
 * No daemon, no browser: `btray open` on a local page until it answers, then `btray close`
 * until the session is gone. Ours and each peer's take turns in every round, so a busy
 * moment on the machine lands on all of them alike; round 0 only warms the disk cache.
 */
export async function measureColdStart(
  context: BenchContext,
  peers: readonly Peer[],
  rounds: number,
): Promise<Row[]> {
  const ours = { open: [] as number[], close: [] as number[] };
  const theirs = new Map(
    peers.map((peer) => [peer.name, { open: [] as number[], close: [] as number[] }]),
  );
  const url = context.pages.formUrl;

  for (let round = 0; round <= rounds; round += 1) {
    const session = `cold-${round}`;
    const open = await btrayOk(context, ['--session', session, 'open', url]);
    const close = await btrayOk(context, ['--session', session, 'close']);
    if (round > 0) {
      ours.open.push(open.wallMs);
      ours.close.push(close.wallMs);
    }

    for (const peer of peers) {
      const peerOpen = await peer.open(session, url);
      const peerClose = await peer.close(session);
      const samples = theirs.get(peer.name);
      if (round === 0 || !samples) continue;
      samples.open.push(peerOpen.wallMs);
      samples.close.push(peerClose.wallMs);
    }
  }

  const openRow = makeRow('cold.open', 'cold start: `btray open` (no daemon)', 'ms', ours.open);
  const closeRow = makeRow(
    'cold.close',
    '`btray close` (browser and daemon gone)',
    'ms',
    ours.close,
  );
  for (const [name, samples] of theirs) {
    addPeer(openRow, name, samples.open);
    addPeer(closeRow, name, samples.close);
  }
  return [openRow, closeRow];
}
