import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh home folder for one suite; `remove()` deletes it. */
export function makeTempHome(prefix = 'btray-test-'): { home: string; remove(): void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  // A daemon may write its last log line just after reporting 'stopped': retry briefly.
  return {
    home,
    remove: () => rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }),
  };
}
