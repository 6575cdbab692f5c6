import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchThrowawayChrome } from '../../electron/browser/browser-session';
import { processGroupMembers, waitUntil } from '../helpers/processes';

/** The throwaway profile a launched Chromium was given, read off its command line. */
function profileOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const flag = args.find((arg) => arg.startsWith('--user-data-dir='));
  if (!flag) throw new Error('no --user-data-dir on the command line');
  return flag.slice('--user-data-dir='.length);
}

describe('launching a throwaway Chromium', () => {
  it('keeps its singleton folder inside the profile, so a kill leaves nothing in TMPDIR', async () => {
    const chrome = await launchThrowawayChrome('/usr/bin/chromium', false, process.env);
    const pid = chrome.pid as number;
    const profile = profileOf(pid);

    // Chromium makes the folder once it is up; a SIGKILL never gives it the chance to remove it.
    const singleton = () => readdirSync(join(profile, 'tmp'));
    expect(await waitUntil(() => singleton().length > 0, 5000)).toBe(true);
    expect(singleton()[0]).toMatch(/^org\.chromium\.Chromium\./);

    await chrome.kill();

    expect(processGroupMembers(pid)).toEqual([]);
    expect(existsSync(profile)).toBe(false);
  });
});
