import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectBrowser } from '../../electron/browser/chrome-finder';
import { runProcess } from '../proc';
import { CHROMIUM_FLAGS, checked, findExecutable, type Peer, type PeerAbsence } from './peer';

const NAME = 'agent-browser';

/**
 * agent-browser (npm `agent-browser`, a native client and daemon). Its npm `bin` is a Node
 * wrapper that spawns the native binary; a global install links the binary directly,
 * which is its fastest form, and the one measured here when the package is installed.
 */
export async function findAgentBrowser(
  root: string,
  scratch: string,
  chromium: DirectBrowser,
): Promise<Peer | PeerAbsence> {
  const native = join(
    root,
    'node_modules',
    'agent-browser',
    'bin',
    `agent-browser-${process.platform}-${process.arch}`,
  );
  const executable = await findExecutable(NAME, [native], process.env);
  if (!executable) {
    return { name: NAME, note: 'not installed (npm install --save-dev agent-browser)' };
  }

  // Its own home: its sockets, profiles and settings stay inside the run's scratch folder.
  const home = join(scratch, 'agent-browser-home');
  await mkdir(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    AGENT_BROWSER_EXECUTABLE_PATH: chromium.executable,
    AGENT_BROWSER_ARGS: [...CHROMIUM_FLAGS, ...chromium.args].join(','),
  };
  const run = (args: string[]) => runProcess(executable, args, { env, timeoutMs: 60_000 });

  const version = await run(['--version']);
  if (version.code !== 0) {
    return { name: NAME, note: `${executable} --version failed: ${version.stderr.trim()}` };
  }

  const sessions = new Set<string>();
  return {
    name: NAME,
    version: version.stdout.trim().replace(/^agent-browser\s*/, '') || null,
    async open(session, url) {
      sessions.add(session);
      return checked(NAME, 'open', await run(['--session', session, 'open', url]));
    },
    async eval(session, js) {
      return checked(NAME, 'eval', await run(['--session', session, 'eval', js]));
    },
    async title(session) {
      return checked(NAME, 'get title', await run(['--session', session, 'get', 'title']));
    },
    async snapshot(session) {
      // -i: interactive elements only, which is what our `state` lists.
      return checked(NAME, 'snapshot', await run(['--session', session, 'snapshot', '-i']));
    },
    async close(session) {
      sessions.delete(session);
      return checked(NAME, 'close', await run(['--session', session, 'close']));
    },
    async dispose() {
      for (const session of [...sessions]) {
        sessions.delete(session);
        await run(['--session', session, 'close']);
      }
    },
  };
}
