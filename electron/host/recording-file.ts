import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errors';
import type { Logger } from '../daemon/logger';

/** More recordings of one session in one second than anyone starts by hand. */
const MAX_NAME_TRIES = 100;

/**
 * Picks the file a dashboard recording goes to, `<folder>/<session>-<date>_<time>.mp4`,
 * and creates it empty so that nobody else takes the name: `wx` fails on any existing
 * file (or symbolic link), so a recording never overwrites anything. A name taken
 * already gets `-2`, `-3`… The recorder then writes into this empty file of ours.
 */
export function reserveRecordingFile(folder: string, session: string, now: Date): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);

  for (let attempt = 1; attempt <= MAX_NAME_TRIES; attempt++) {
    const suffix = attempt === 1 ? '' : `-${attempt}`;
    const path = join(folder, `${session}-${stamp}${suffix}.mp4`);
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`no free recording file name for ${session} in ${folder}`);
}

/**
 * A recording that did not start leaves the reserved file empty: remove it, so the
 * folder holds only videos. A file that has content is a video and stays.
 */
export function releaseUnusedRecordingFile(path: string, log: Logger): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.size === 0) rmSync(path, { force: true });
  } catch (error) {
    log.debug({ path, err: errorMessage(error) }, 'recording file - empty file not removed');
  }
}
