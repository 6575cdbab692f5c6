import { z } from 'zod';
import { wheel } from '../browser/input';
import { defineCommand } from './command';

/** Runs in the page: resolves with the scroll position once it has stopped moving. */
function settledScroll(): Promise<{ x: number; y: number; height: number; viewport: number }> {
  return new Promise((resolve) => {
    let last = -1;
    let still = 0;
    const started = performance.now();
    const check = (): void => {
      const y = window.scrollY;
      still = y === last ? still + 1 : 0;
      last = y;
      if (still >= 2 || performance.now() - started > 1000) {
        const scroller = document.scrollingElement ?? document.documentElement;
        resolve({
          x: Math.round(window.scrollX),
          y: Math.round(y),
          height: scroller.scrollHeight,
          viewport: innerHeight,
        });
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

export const scrollCommand = defineCommand({
  action: 'scroll',
  params: z.object({
    direction: z.enum(['up', 'down']).default('down'),
    amount: z.coerce.number().int().positive().default(500),
  }),
  async run({ browser }, { direction, amount }) {
    const page = browser.page;
    const viewport = await page.evaluate<{ w: number; h: number }>(
      '({ w: innerWidth, h: innerHeight })',
    );
    await wheel(page, viewport.w / 2, viewport.h / 2, direction === 'down' ? amount : -amount);

    const position = await page.evaluate<Awaited<ReturnType<typeof settledScroll>>>(
      `(${String(settledScroll)})()`,
    );
    const bottom = Math.max(0, position.height - position.viewport);
    const text = `Scrolled ${direction} ${amount}px; now at ${position.y} of ${bottom}`;
    return {
      scroll: { x: position.x, y: position.y },
      page_height: position.height,
      _raw_text: text,
    };
  },
});
