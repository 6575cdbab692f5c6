import { z } from 'zod';
import { isTrayError, TrayError } from '../../shared/errors';
import { describe, type WaitCondition, waitForCondition } from '../browser/page-wait';
import { cancelledError, defineCommand } from './command';

/** As the browser-use CLI: 30 s unless told. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** A wait holds the session's browser queue: ten minutes at most. */
const MAX_WAIT_MS = 10 * 60 * 1000;
const timeout = z.coerce.number().int().positive().max(MAX_WAIT_MS).default(DEFAULT_TIMEOUT_MS);

const waitParams = z.discriminatedUnion('wait_command', [
  z.object({
    wait_command: z.literal('selector'),
    selector: z.string().min(1),
    state: z.enum(['attached', 'detached', 'visible', 'hidden']).default('visible'),
    timeout,
  }),
  z.object({ wait_command: z.literal('text'), text: z.string().min(1), timeout }),
]);

/**
 * Waits in the current tab. Not found when the time is up is an error (`TIMEOUT`), so a
 * script's `btray wait … && next` does not run on. The wait holds the session's command
 * queue, but never `ping`, `status` or `shutdown`, which do not queue.
 */
export const waitCommand = defineCommand({
  action: 'wait',
  ownDeadline: true,
  params: waitParams,
  async run({ browser, cancelled }, params) {
    const condition: WaitCondition =
      params.wait_command === 'text'
        ? { kind: 'text', text: params.text }
        : { kind: 'selector', selector: params.selector, state: params.state };

    let elapsedMs: number;
    try {
      elapsedMs = await waitForCondition(browser.page, condition, params.timeout, cancelled);
    } catch (error) {
      if (cancelled.aborted) throw cancelledError('wait');
      if (!isTrayError(error, 'BROWSER_GONE')) throw error;
      throw new TrayError(
        'BROWSER_GONE',
        'wait: the browser went away (or the session closed) while waiting for ' +
          describe(condition),
        { cause: error },
      );
    }
    return {
      found: true,
      ...(params.wait_command === 'text'
        ? { text: params.text }
        : { selector: params.selector, state: params.state }),
      elapsed_ms: elapsedMs,
      _raw_text: `Found ${describe(condition)} after ${elapsedMs} ms`,
    };
  },
});
