import { errorMessage } from '../../shared/errors';
import type { SessionStateFile } from '../../shared/state-file';
import type { Logger } from './logger';
import { writeStateFile } from './state-file';

/** How long the last-command time may wait before it reaches the state file. */
const BATCH_MS = 2000;

/**
 * Keeps `NAME.state.json` in step with the session: at once for what the dashboard must
 * see at once (a phase, a recording, keep-open), batched for the last command time so
 * the request path never waits on a file write.
 */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly describe: () => SessionStateFile,
    private readonly log: Logger,
  ) {}

  write(): void {
    this.cancel();
    try {
      writeStateFile(this.path, this.describe());
    } catch (error) {
      this.log.warn({ err: errorMessage(error) }, 'could not write the state file');
    }
  }

  writeSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, BATCH_MS);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
