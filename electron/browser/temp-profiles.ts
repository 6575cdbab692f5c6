import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'btray-profile-';

/** `btray-profile-<pid of the process that made it>-<random>`. */
const OWNED_NAME = /^btray-profile-(\d+)-/;

/**
 * A fresh throwaway profile folder, named for this process so that a later sweep can
 * tell whether its owner is still there.
 */
export function makeTempProfile(): string {
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

/** Asynchronous: removing a profile takes long enough to hold up `ping` answers. */
export async function removeTempProfile(dir: string | undefined): Promise<void> {
  if (!dir) return;
  // Chromium's helpers may still be writing for a moment after the group is killed.
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/**
 * Removes the throwaway profiles whose owner process is gone: a daemon killed with
 * SIGKILL never removes its own. Only folders named for a pid that `isAlive` denies are
 * touched, so a live session's profile (ours or another daemon's) is never removed; a
 * reused pid only keeps a stale folder a while longer. Returns the folders removed.
 */
export async function sweepOrphanedProfiles(
  isAlive: (pid: number) => boolean,
  root = tmpdir(),
): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const orphans = names.filter((name) => {
    const owner = OWNED_NAME.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner));
  });

  const removed: string[] = [];
  for (const name of orphans) {
    try {
      await rm(join(root, name), { recursive: true, force: true });
      removed.push(join(root, name));
    } catch {
      // Another sweep got there first, or it is not ours to remove: leave it.
    }
  }
  return removed;
}
