import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  makeTempProfile,
  removeTempProfile,
  sweepOrphanedProfiles,
} from '../../electron/browser/temp-profiles';
import { processAlive } from '../../electron/daemon/process-alive';

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** The pid of a process that has come and gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

function profileIn(name: string): string {
  if (!root) throw new Error('set root first');
  const dir = join(root, name);
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(join(dir, 'Default', 'Cookies'), 'x');
  return dir;
}

describe('throwaway profiles', () => {
  it('are named for the process that made them, and removed with their contents', async () => {
    const dir = makeTempProfile();
    expect(basename(dir)).toMatch(new RegExp(`^btray-profile-${process.pid}-`));
    writeFileSync(join(dir, 'Local State'), '{}');

    await removeTempProfile(dir);

    expect(existsSync(dir)).toBe(false);
  });

  it('a sweep removes only the profiles of processes that are gone', async () => {
    root = mkdtempSync(join(tmpdir(), 'btray-sweep-'));
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const orphan = profileIn(`btray-profile-${await deadPid()}-abc123`);
      const othersLive = profileIn(`btray-profile-${live.pid}-def456`);
      const ours = profileIn(`btray-profile-${process.pid}-ghi789`);
      const unnamed = profileIn('btray-profile-123456');
      const unrelated = profileIn('something-else-1-2');

      const removed = await sweepOrphanedProfiles(processAlive, root);

      expect(removed).toEqual([orphan]);
      expect(existsSync(orphan)).toBe(false);
      for (const kept of [othersLive, ours, unnamed, unrelated])
        expect(existsSync(kept)).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('a sweep of a folder that cannot be read removes nothing and does not throw', async () => {
    root = join(tmpdir(), 'btray-sweep-missing');
    expect(await sweepOrphanedProfiles(processAlive, root)).toEqual([]);
  });
});
