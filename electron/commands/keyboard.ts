import { z } from 'zod';
import { pageCall } from '../browser/dom-index';
import { clickAt, pressCombination, typeText } from '../browser/input';
import { parseKeyCombination } from '../browser/keys';
import { defineCommand } from './command';
import { elementIndex } from './element-params';

export const typeCommand = defineCommand({
  action: 'type',
  params: z.object({ text: z.string() }),
  async run({ browser }, { text }) {
    await typeText(browser.page, text);
    return { typed: text.length, _raw_text: `Typed ${text.length} characters` };
  },
});

/** Runs in the page: selects everything in an indexed field; true when it was not empty. */
function selectFieldContents(index: number): boolean {
  const el = (window as unknown as { __btrayIndex: HTMLElement[] }).__btrayIndex[
    index - 1
  ] as HTMLElement;
  el.focus();
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.select();
    return el.value.length > 0;
  }
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return (el.textContent ?? '').length > 0;
}

export const inputCommand = defineCommand({
  action: 'input',
  params: z.object({ index: elementIndex, text: z.string() }),
  async run({ browser }, { index, text }) {
    const page = browser.page;
    const target = await page.locate(index);
    await clickAt(page, target.x, target.y);

    const hadContent = await page.evaluate<boolean>(pageCall(selectFieldContents, index));
    if (hadContent) await pressCombination(page, parseKeyCombination('Backspace'));
    await typeText(page, text);
    return {
      index,
      typed: text.length,
      _raw_text: `Typed ${text.length} characters into element ${index} <${target.tag}>`,
    };
  },
});

export const keysCommand = defineCommand({
  action: 'keys',
  params: z.object({ keys: z.string().min(1) }),
  async run({ browser, navigationTimeoutMs }, { keys }) {
    const combination = parseKeyCombination(keys);
    const page = browser.page;
    // Enter may submit a form: wait for the next page like a click does.
    await page.withNavigationWait(() => pressCombination(page, combination), navigationTimeoutMs);
    return { keys, _raw_text: `Pressed ${keys}` };
  },
});
