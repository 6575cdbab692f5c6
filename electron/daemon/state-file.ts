import { readFileSync } from 'node:fs';
import { isPhase } from '../../shared/phases';
import { type SessionStateFile, STATE_SCHEMA_VERSION } from '../../shared/state-file';
import { writeFileAtomic } from './atomic-file';

/** Writes the state file atomically: readers never see half a file. */
export function writeStateFile(path: string, state: SessionStateFile): void {
  writeFileAtomic(path, `${JSON.stringify(state)}\n`, 0o644);
}

export type StateRead =
  | { ok: true; state: SessionStateFile }
  | { ok: false; missing: boolean; problem: string };

/** Reads and checks a state file; never throws, so a monitor survives any file on disk. */
export function readStateFile(path: string): StateRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, problem: missing ? 'no state file' : String(error) };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, missing: false, problem: 'state file is not valid JSON' };
  }

  return checkState(value);
}

function checkState(value: unknown): StateRead {
  if (typeof value !== 'object' || value === null) {
    return { ok: false, missing: false, problem: 'state file is not an object' };
  }

  const state = value as Partial<SessionStateFile>;
  if (state.schema !== STATE_SCHEMA_VERSION) {
    return { ok: false, missing: false, problem: `unknown state schema ${String(state.schema)}` };
  }
  if (!isPhase(state.phase) || typeof state.pid !== 'number') {
    return { ok: false, missing: false, problem: 'state file lacks phase or pid' };
  }
  return { ok: true, state: state as SessionStateFile };
}
