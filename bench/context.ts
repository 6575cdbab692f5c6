import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionPaths } from '../electron/daemon/paths';
import { sendRequest } from '../electron/daemon/socket-client';
import { readTokenFile } from '../electron/daemon/token-file';
import type { Response } from '../shared/protocol';
import type { PageServer } from './page-server';
import { type ProcessRun, runProcess } from './proc';

/** Where the run's files and pages are, shared by every scenario. */
export interface BenchContext {
  /** The repository root (the bundle runs from `dist/`). */
  root: string;
  /** A temporary BROWSER_TRAY_HOME, removed at the end. */
  home: string;
  btray: string;
  daemon: string;
  pages: PageServer;
  /** The environment every btray process gets: the temp home, and nothing else changed. */
  env: NodeJS.ProcessEnv;
  /** Scratch space for videos and peers' homes. */
  scratch: string;
}

/** Runs the built CLI once, as a user would (`node dist/btray.cjs …`). */
export function runBtray(context: BenchContext, args: string[]): Promise<ProcessRun> {
  return runProcess(process.execPath, [context.btray, ...args], { env: context.env });
}

/** Like {@link runBtray}, but a failed command ends the run with its output. */
export async function btrayOk(context: BenchContext, args: string[]): Promise<ProcessRun> {
  const run = await runBtray(context, args);
  if (run.code !== 0) {
    throw new Error(`btray ${args.join(' ')} exited ${run.code}: ${run.stderr || run.stdout}`);
  }
  return run;
}

/** An in-process client of one session: the token read once, one connection per request. */
export interface SessionClient {
  session: string;
  send(action: string, params?: Record<string, unknown>): Promise<Response>;
  /** Sends, and throws unless the answer is a success; returns its data. */
  data<T = Record<string, unknown>>(action: string, params?: Record<string, unknown>): Promise<T>;
  /** The daemon's PID, from its PID file. */
  pid(): Promise<number>;
}

export function sessionClient(context: BenchContext, session: string): SessionClient {
  const paths = sessionPaths(context.home, session);
  const token = readTokenFile(paths.token);
  const send = (action: string, params: Record<string, unknown> = {}): Promise<Response> =>
    sendRequest(paths.socket, token, action, params);
  return {
    session,
    send,
    async data<T>(action: string, params: Record<string, unknown> = {}): Promise<T> {
      const response = await send(action, params);
      if (!response.success) {
        throw new Error(`${session}: ${action} failed: ${response.code} ${response.error}`);
      }
      return response.data as T;
    },
    pid: async () => Number((await readFile(paths.pid, 'utf8')).trim()),
  };
}

/** The repository root when running as `dist/bench.cjs`. */
export function repositoryRoot(): string {
  return join(__dirname, '..');
}
