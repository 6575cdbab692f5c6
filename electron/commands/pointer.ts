import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import { clickAt, type MouseButton, movePointer } from '../browser/input';
import type { PageSession } from '../browser/page-session';
import { type Command, type CommandContext, defineCommand } from './command';
import { elementIndex } from './element-params';

/** `click` takes `args: [index]` or `args: [x, y]` (browser-use CLI), or `index`. */
const clickParams = z
  .object({
    args: z.array(z.coerce.number()).min(1).max(2).optional(),
    index: elementIndex.optional(),
  })
  .refine((params) => params.args !== undefined || params.index !== undefined, {
    message: 'click needs an element index, or x and y coordinates',
  });

export const clickCommand = defineCommand({
  action: 'click',
  params: clickParams,
  async run(context, { args, index }) {
    if (args?.length === 2) {
      const [x, y] = args as [number, number];
      await withNavigation(context, (page) => clickAt(page, x, y));
      return { clicked: { x, y }, _raw_text: `Clicked at ${x},${y}` };
    }

    const target = index ?? args?.[0];
    const checked = elementIndex.safeParse(target);
    if (!checked.success)
      throw new TrayError(
        'BAD_REQUEST',
        `click: index must be a whole number from 1, got ${String(target)}`,
      );
    return clickElement(context, checked.data, 'left', 1, 'Clicked');
  },
});

function indexCommand(action: string, button: MouseButton, clicks: number, verb: string): Command {
  return defineCommand({
    action,
    params: z.object({ index: elementIndex }),
    run: (context, { index }) => clickElement(context, index, button, clicks, verb),
  });
}

export const dblclickCommand = indexCommand('dblclick', 'left', 2, 'Double-clicked');
export const rightclickCommand = indexCommand('rightclick', 'right', 1, 'Right-clicked');

export const hoverCommand = defineCommand({
  action: 'hover',
  params: z.object({ index: elementIndex }),
  async run({ browser }, { index }) {
    const page = browser.page;
    const target = await page.locate(index);
    await movePointer(page, target.x, target.y);
    return { index, _raw_text: `Hovering over element ${index} <${target.tag}>` };
  },
});

async function clickElement(
  context: CommandContext,
  index: number,
  button: MouseButton,
  clicks: number,
  verb: string,
) {
  const target = await context.browser.page.locate(index);
  await withNavigation(context, (page) => clickAt(page, target.x, target.y, button, clicks));
  return {
    index,
    x: Math.round(target.x),
    y: Math.round(target.y),
    _raw_text: `${verb} element ${index} <${target.tag}>`,
  };
}

/** A click may follow a link or submit a form: wait for that page before answering. */
function withNavigation(
  context: CommandContext,
  action: (page: PageSession) => Promise<void>,
): Promise<void> {
  const page = context.browser.page;
  return page.withNavigationWait(() => action(page), context.navigationTimeoutMs);
}
