import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ESSENTIAL_CHROMIUM_FLAGS } from '../../electron/browser/chrome-launcher';
import type { ProcessRun } from '../proc';

/**
 * Another browser CLI measured on the same pages: each call is one whole process of it,
 * timed from spawn to exit, as a user (or an agent) feels it.
 */
export interface Peer {
  name: string;
  version: string | null;
  /** Opens `url` in a session of that name, starting its daemon and browser if needed. */
  open(session: string, url: string): Promise<ProcessRun>;
  eval(session: string, js: string): Promise<ProcessRun>;
  title(session: string): Promise<ProcessRun>;
  /** Its closest counterpart of our `state`: the interactive elements with references. */
  snapshot(session: string): Promise<ProcessRun>;
  close(session: string): Promise<ProcessRun>;
  /** Closes every session it still has; safe to call twice. */
  dispose(): Promise<void>;
}

/** Why a peer was not measured, for the report. */
export interface PeerAbsence {
  name: string;
  note: string;
}

/** Chromium's flags on these machines (see TOOLCHAIN.md), given to every peer's browser. */
export const CHROMIUM_FLAGS = ESSENTIAL_CHROMIUM_FLAGS;

/** The first executable file among `candidates`, then `name` on the PATH. */
export async function findExecutable(
  name: string,
  candidates: string[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const file of [...candidates, ...onPath.map((dir) => join(dir, name))]) {
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // Not there, or not executable: try the next place.
    }
  }
  return undefined;
}

/** Throws with the peer's own words when one of its commands failed. */
export function checked(peer: string, what: string, run: ProcessRun): ProcessRun {
  if (run.code === 0) return run;
  const output = `${run.stderr}\n${run.stdout}`.trim().slice(0, 400);
  throw new Error(`${peer} ${what} exited ${run.code}: ${output}`);
}
