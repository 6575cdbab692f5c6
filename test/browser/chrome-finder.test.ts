import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutLauncherScript } from '../../electron/browser/chrome-finder';

const dir = mkdtempSync(join(tmpdir(), 'btray-finder-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('launching past a launcher script', () => {
  it("runs Debian's Chromium binary instead of its /usr/bin/chromium script", () => {
    const direct = withoutLauncherScript('/usr/bin/chromium');
    expect(direct.executable).toBe('/usr/lib/chromium/chromium');
    // /dev/shm is large on these machines, so the script would not have added the flag.
    expect(direct.args).toEqual([]);
  });

  it('keeps any other executable as it is, script or not', () => {
    const script = join(dir, 'my-chrome');
    writeFileSync(script, '#!/bin/sh\nexec /usr/lib/chromium/chromium "$@"\n');
    chmodSync(script, 0o755);
    expect(withoutLauncherScript(script)).toEqual({ executable: script, args: [] });
    expect(withoutLauncherScript('/usr/lib/chromium/chromium')).toEqual({
      executable: '/usr/lib/chromium/chromium',
      args: [],
    });
  });
});
