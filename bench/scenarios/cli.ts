import { type BenchContext, runBtray } from '../context';
import type { Peer } from '../peers/peer';
import { type ProcessRun, runProcess } from '../proc';
import { addPeer, makeRow, type Row } from '../report';

/** One command of a round: a name and how to run it once. */
interface Step {
  key: string;
  run: () => Promise<ProcessRun>;
}

/**
 * The whole CLI process per command, as a shell or an agent runs it, against a warm
 * session on the form fixture. Every round runs `node -e 0` (the floor of any Node
 * CLI), our commands and each peer's, one after another, so load on the machine is
 * shared fairly between them.
 */
export async function measureCli(
  context: BenchContext,
  session: string,
  peers: readonly Peer[],
  rounds: number,
): Promise<Row[]> {
  const btray = (args: string[]) => () =>
    checkedRun(runBtray(context, ['--session', session, ...args]));
  const steps: Step[] = [
    { key: 'node', run: () => runProcess(process.execPath, ['-e', '0']) },
    { key: 'eval', run: btray(['eval', '1+1']) },
    { key: 'title', run: btray(['get', 'title']) },
    { key: 'state', run: btray(['state']) },
  ];
  for (const peer of peers) {
    await peer.open(session, context.pages.formUrl);
    steps.push(
      { key: `${peer.name}:eval`, run: () => peer.eval(session, '1+1') },
      { key: `${peer.name}:title`, run: () => peer.title(session) },
      { key: `${peer.name}:state`, run: () => peer.snapshot(session) },
    );
  }

  const samples = new Map<string, number[]>(steps.map((step) => [step.key, []]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const step of steps) {
      const run = await step.run();
      // Round 0 warms the file cache and each daemon's first-command paths.
      if (round > 0) samples.get(step.key)?.push(run.wallMs);
    }
  }
  for (const peer of peers) await peer.close(session);

  const rows = [
    makeRow('cli.node', 'floor: `node -e 0`', 'ms', samples.get('node') ?? []),
    makeRow('cli.eval', 'CLI: `btray eval "1+1"`', 'ms', samples.get('eval') ?? []),
    makeRow('cli.title', 'CLI: `btray get title`', 'ms', samples.get('title') ?? []),
    makeRow('cli.state', 'CLI: `btray state` (form page)', 'ms', samples.get('state') ?? []),
  ];
  for (const row of rows.slice(1)) {
    const key = row.id.slice('cli.'.length);
    for (const peer of peers) addPeer(row, peer.name, samples.get(`${peer.name}:${key}`) ?? []);
  }
  return rows;
}

async function checkedRun(pending: Promise<ProcessRun>): Promise<ProcessRun> {
  const run = await pending;
  if (run.code !== 0) throw new Error(`btray exited ${run.code}: ${run.stderr || run.stdout}`);
  return run;
}
