import { z } from 'zod';
import { isTrayError, TrayError } from '../../shared/errors';
import { cancelledError, defineCommand } from './command';
import { withDeadline } from './deadline';

/** How long eval waits for a promise by default, and at most: it holds the browser queue. */
const DEFAULT_EVAL_TIMEOUT_MS = 30_000;
const MAX_EVAL_TIMEOUT_MS = 10 * 60 * 1000;

export const evalCommand = defineCommand({
  action: 'eval',
  ownDeadline: true,
  params: z.object({
    js: z.string().min(1),
    timeout: z.coerce
      .number()
      .int()
      .positive()
      .max(MAX_EVAL_TIMEOUT_MS)
      .default(DEFAULT_EVAL_TIMEOUT_MS),
  }),
  async run({ browser, cancelled }, { js, timeout }) {
    const page = browser.page;
    // A promise that never settles must not hold the session: TIMEOUT, or CANCELLED once
    // the client is gone, and the queue moves on.
    const evaluated = await withDeadline(page.evaluateValue(js), {
      timeoutMs: timeout,
      timedOut: () =>
        new TrayError('TIMEOUT', `eval: no result within ${timeout} ms (raise it with --timeout)`),
      cancelled,
      cancelledError: () => cancelledError('eval'),
    }).catch(async (error: unknown) => {
      // A synchronous loop would keep the page, and so the session, busy for ever.
      if (isTrayError(error, 'TIMEOUT') || isTrayError(error, 'CANCELLED')) {
        await page.stopRunawayScript();
      }
      throw error;
    });
    const { value, unserializable } = evaluated;
    if (unserializable !== undefined) {
      // JSON has no NaN or BigInt: `result` stays null, and the value is given in words.
      return { result: null, unserializable, _raw_text: unserializable };
    }
    const text =
      value === undefined ? 'undefined' : typeof value === 'string' ? value : JSON.stringify(value);
    return { result: value ?? null, _raw_text: text };
  },
});
