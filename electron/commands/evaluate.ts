import { z } from 'zod';
import { defineCommand } from './command';

export const evalCommand = defineCommand({
  action: 'eval',
  params: z.object({ js: z.string().min(1) }),
  async run({ browser }, { js }) {
    const result = await browser.page.evaluate(js);
    const text =
      result === undefined
        ? 'undefined'
        : typeof result === 'string'
          ? result
          : JSON.stringify(result);
    return { result: result ?? null, _raw_text: text };
  },
});
