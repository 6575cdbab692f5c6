import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import { defineCommand } from './command';

/** Runs in the page: the outer HTML of the first match, or of the whole document. */
function outerHtml(selector: string | null): string | null {
  if (selector === null) return document.documentElement.outerHTML;
  return document.querySelector(selector)?.outerHTML ?? null;
}

export const getCommand = defineCommand({
  action: 'get',
  params: z.object({
    get_command: z.enum(['title', 'html']),
    selector: z.string().min(1).optional(),
  }),
  async run({ browser }, { get_command, selector }) {
    const page = browser.page;
    if (get_command === 'title') {
      const title = await page.evaluate<string>('document.title');
      return { title, _raw_text: title };
    }

    const html = await page.evaluate<string | null>(
      `(${String(outerHtml)})(${JSON.stringify(selector ?? null)})`,
    );
    if (html === null)
      throw new TrayError('NO_SUCH_ELEMENT', `get html: nothing matches the selector ${selector}`);
    return { html, _raw_text: html };
  },
});
