import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectBrowser } from '../../electron/browser/chrome-finder';
import { runProcess } from '../proc';
import { CHROMIUM_FLAGS, checked, findExecutable, type Peer, type PeerAbsence } from './peer';

const NAME = 'playwright-cli';

/**
 * `@playwright/cli` where it is installed (it is not a dependency of ours). It reads its
 * browser from `.playwright/cli.config.json` in the working folder, which points it at
 * the system Chromium with the same flags as ours.
 */
export async function findPlaywrightCli(
  root: string,
  scratch: string,
  chromium: DirectBrowser,
): Promise<Peer | PeerAbsence> {
  const script = join(root, 'node_modules', '@playwright', 'cli', 'playwright-cli.js');
  const onPath = await findExecutable(NAME, [], process.env);
  const local = await access(script).then(
    () => true,
    () => false,
  );
  if (!local && !onPath) return { name: NAME, note: 'not installed (@playwright/cli)' };
  const command = local ? process.execPath : (onPath as string);
  const prefix = local ? [script] : [];

  const workspace = join(scratch, 'playwright-cli');
  await mkdir(join(workspace, '.playwright'), { recursive: true });
  await writeFile(
    join(workspace, '.playwright', 'cli.config.json'),
    JSON.stringify({
      browser: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromium.executable,
          chromiumSandbox: false,
          args: [...CHROMIUM_FLAGS.filter((flag) => flag !== '--no-sandbox'), ...chromium.args],
        },
      },
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(scratch, 'playwright-cli-home') };
  await mkdir(env.HOME as string, { recursive: true });
  const run = (args: string[]) =>
    runProcess(command, [...prefix, ...args], { env, cwd: workspace, timeoutMs: 60_000 });

  const version = await run(['--version']);
  if (version.code !== 0) {
    return { name: NAME, note: `--version failed: ${version.stderr.trim()}` };
  }

  const sessions = new Set<string>();
  return {
    name: NAME,
    version: version.stdout.trim() || null,
    async open(session, url) {
      sessions.add(session);
      return checked(NAME, 'open', await run([`-s=${session}`, 'open', url]));
    },
    async eval(session, js) {
      return checked(NAME, 'eval', await run([`-s=${session}`, 'eval', js]));
    },
    async title(session) {
      return checked(NAME, 'eval title', await run([`-s=${session}`, 'eval', 'document.title']));
    },
    async snapshot(session) {
      return checked(NAME, 'snapshot', await run([`-s=${session}`, 'snapshot']));
    },
    async close(session) {
      sessions.delete(session);
      return checked(NAME, 'close', await run([`-s=${session}`, 'close']));
    },
    async dispose() {
      for (const session of [...sessions]) {
        sessions.delete(session);
        await run([`-s=${session}`, 'close']);
      }
    },
  };
}
