/**
 * `npm run bench`: how fast Browser Tray answers, how much memory its daemons take, and
 * how it compares with other browser CLIs installed here. Prints a table and writes the
 * same figures as JSON under bench/results/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findChrome, withoutLauncherScript } from '../electron/browser/chrome-finder';
import { type BenchContext, btrayOk, repositoryRoot, runBtray, sessionClient } from './context';
import { startPageServer } from './page-server';
import { findAgentBrowser } from './peers/agent-browser';
import type { Peer, PeerAbsence } from './peers/peer';
import { findPlaywrightCli } from './peers/playwright-cli';
import { elapsedMs } from './proc';
import { type BenchReport, type Row, renderTable } from './report';
import { measureBigState } from './scenarios/big-state';
import { measureCli } from './scenarios/cli';
import { measureColdStart } from './scenarios/cold-start';
import { measureConcurrency } from './scenarios/concurrency';
import { measureMemory } from './scenarios/memory';
import { measureRecording } from './scenarios/recording';
import { measureSocket, measureSocketFloor } from './scenarios/socket';
import { checkTargets } from './targets';

/** How many samples each scenario takes: the full run, and a quick one for checks. */
const PLANS = {
  full: {
    coldRounds: 5,
    socket: { control: 1000, page: 300, state: 50 },
    cliRounds: 15,
    bigRounds: 10,
    clients: 50,
    concurrentS: 10,
    sessions: 5,
    recordingS: 6,
  },
  quick: {
    coldRounds: 1,
    socket: { control: 50, page: 20, state: 5 },
    cliRounds: 2,
    bigRounds: 2,
    clients: 10,
    concurrentS: 2,
    sessions: 2,
    recordingS: 2,
  },
};

const MAIN_SESSION = 'bench';

interface Options {
  quick: boolean;
  peers: boolean;
  out: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    strict: true,
  });
  return { quick: values.quick, peers: !values['no-peers'], out: values.out };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const plan = options.quick ? PLANS.quick : PLANS.full;
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const started = process.hrtime.bigint();
  const root = repositoryRoot();
  const context = await createContext(root);
  // The peers get the very binary our daemons launch (past any launcher script).
  const chromium = withoutLauncherScript(findChrome(process.env));

  const found: Array<Peer | PeerAbsence> = options.peers
    ? await Promise.all([
        findAgentBrowser(root, context.scratch, chromium),
        findPlaywrightCli(root, context.scratch, chromium),
      ])
    : [];
  const peers = found.filter((peer): peer is Peer => 'open' in peer);
  const absent = found.filter((peer): peer is PeerAbsence => !('open' in peer));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

  const rows: Row[] = [];
  try {
    log('cold start and close');
    rows.push(...(await measureColdStart(context, peers, plan.coldRounds)));

    await btrayOk(context, ['--session', MAIN_SESSION, 'open', context.pages.formUrl]);
    const client = sessionClient(context, MAIN_SESSION);
    log('socket round trips');
    rows.push(await measureSocketFloor(context.scratch, plan.socket.control));
    rows.push(...(await measureSocket(client, plan.socket)));
    log('whole CLI processes');
    rows.push(...(await measureCli(context, MAIN_SESSION, peers, plan.cliRounds)));
    log('state on the big page');
    rows.push(...(await measureBigState(context, client, peers, plan.bigRounds)));

    log('concurrent clients');
    await client.data('open', { url: context.pages.formUrl });
    rows.push(...(await measureConcurrency(client, plan.clients, plan.concurrentS)));
    log('recording');
    rows.push(...(await measureRecording(context, client, plan.recordingS)));
    await btrayOk(context, ['--session', MAIN_SESSION, 'close']);

    log('memory of several daemons');
    rows.push(...(await measureMemory(context, plan.sessions)));
  } finally {
    for (const peer of peers) await peer.dispose();
    await runBtray(context, ['close', '--all']);
    await context.pages.close();
    await rm(context.home, { recursive: true, force: true, maxRetries: 5 });
    await rm(context.scratch, { recursive: true, force: true, maxRetries: 5 });
  }

  checkTargets(rows);
  const report: BenchReport = {
    schema: 1,
    started_at: startedAt.toISOString(),
    duration_s: elapsedMs(started) / 1000,
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      memory_gib: totalmem() / 1024 ** 3,
      load_average_start: loadAtStart,
      load_average: loadavg(),
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
    },
    peers: Object.fromEntries([
      ...peers.map((peer) => [peer.name, { version: peer.version, available: true }]),
      ...absent.map((peer) => [peer.name, { version: null, available: false, note: peer.note }]),
    ]),
    rows,
    notes: [
      'Times are wall clock, ms; socket rows are one connection per request from a client ' +
        'in the bench process; CLI rows are whole processes from spawn to exit.',
      `Peers run their native or npm-installed CLI on the same pages and Chromium ` +
        `(${chromium.executable}).`,
      ...(peers.some((peer) => peer.name === 'agent-browser')
        ? [
            'agent-browser runs as its native binary, as a global npm install links it; its ' +
              'local npm bin is a Node wrapper that adds a Node start-up to each command.',
          ]
        : []),
    ],
  };

  const out = options.out ?? join(root, 'bench', 'results', `${fileStamp(startedAt)}.json`);
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${renderTable(report)}\n\nJSON: ${out}\n`);
}

async function createContext(root: string): Promise<BenchContext> {
  const btray = join(root, 'dist', 'btray.cjs');
  const daemon = join(root, 'dist', 'daemon.cjs');
  if (!existsSync(btray) || !existsSync(daemon)) {
    throw new Error('dist/btray.cjs or dist/daemon.cjs is missing: run `npm run build` first');
  }
  const home = await mkdtemp(join(tmpdir(), 'btray-bench-home-'));
  const scratch = await mkdtemp(join(tmpdir(), 'btray-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BROWSER_TRAY_HOME: home };
  delete env.BROWSER_TRAY_SESSION;
  const pages = await startPageServer(join(root, 'test', 'fixtures'));
  return { root, home, btray, daemon, pages, env, scratch };
}

function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
