import { z } from 'zod';
import { defineCommand } from './command';

/** Starts (or attaches to) the session's browser now; the queue has done so already. */
export const connectCommand = defineCommand({
  action: 'connect',
  params: z.object({}),
  async run({ browser }) {
    const what = browser.launched ? 'Chromium' : 'the browser';
    return {
      status: 'connected',
      cdp_url: browser.wsEndpoint,
      _raw_text: `Connected to ${what} at ${browser.wsEndpoint}`,
    };
  },
});
