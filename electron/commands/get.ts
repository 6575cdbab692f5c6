import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import { pageCall } from '../browser/dom-index';
import type { PageSession } from '../browser/page-session';
import { defineCommand } from './command';
import { elementIndex } from './element-params';

/** Runs in the page: the outer HTML of the first match, or of the whole document. */
function outerHtml(selector: string | null): string | null {
  if (selector === null) return document.documentElement.outerHTML;
  return document.querySelector(selector)?.outerHTML ?? null;
}

type ElementReading =
  | { ok: true; text: string }
  | { ok: true; value: string; checked?: boolean }
  | { ok: true; attributes: Record<string, string> }
  | { ok: false; tag: string };

/** Runs in the page: reads one thing from an indexed element (checked by `locate` first). */
function readElement(index: number, what: 'text' | 'value' | 'attributes'): ElementReading {
  const el = (window as unknown as { __btrayIndex: Element[] }).__btrayIndex[index - 1] as Element;
  if (what === 'text') {
    // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, without hidden parts
    const text = el instanceof HTMLElement ? el.innerText : (el.textContent ?? '');
    return { ok: true, text: text.trim() };
  }
  if (what === 'attributes') {
    return {
      ok: true,
      attributes: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
    };
  }
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio'))
    return { ok: true, value: el.value, checked: el.checked };
  if (
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLButtonElement ||
    el instanceof HTMLOutputElement
  ) {
    return { ok: true, value: el.value };
  }
  return { ok: false, tag: el.localName };
}

const getParams = z.discriminatedUnion('get_command', [
  z.object({ get_command: z.literal('title') }),
  z.object({ get_command: z.literal('html'), selector: z.string().min(1).optional() }),
  z.object({ get_command: z.literal('text'), index: elementIndex }),
  z.object({ get_command: z.literal('value'), index: elementIndex }),
  z.object({ get_command: z.literal('attributes'), index: elementIndex }),
  z.object({ get_command: z.literal('bbox'), index: elementIndex }),
]);

export const getCommand = defineCommand({
  action: 'get',
  params: getParams,
  async run({ browser }, params) {
    const page = browser.page;
    switch (params.get_command) {
      case 'title': {
        const title = await page.evaluate<string>('document.title');
        return { title, _raw_text: title };
      }
      case 'html':
        return getHtml(page, params.selector);
      case 'bbox':
        return getBox(page, params.index);
      case 'text':
      case 'value':
      case 'attributes':
        return getFromElement(page, params.index, params.get_command);
    }
  },
});

async function getHtml(page: PageSession, selector: string | undefined) {
  const html = await page.evaluate<string | null>(pageCall(outerHtml, selector ?? null));
  if (html === null)
    throw new TrayError('NO_SUCH_ELEMENT', `get html: nothing matches the selector ${selector}`);
  return { html, _raw_text: html };
}

/** The element's box in CSS pixels of the viewport (top-level, iframes included). */
async function getBox(page: PageSession, index: number) {
  const found = await page.locate(index, false);
  const bbox = {
    x: found.x - found.width / 2,
    y: found.y - found.height / 2,
    width: found.width,
    height: found.height,
  };
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    index,
    bbox,
    _raw_text:
      `x=${round(bbox.x)} y=${round(bbox.y)} ` +
      `width=${round(bbox.width)} height=${round(bbox.height)}`,
  };
}

async function getFromElement(
  page: PageSession,
  index: number,
  what: 'text' | 'value' | 'attributes',
) {
  await page.locate(index, false);
  const reading = await page.evaluate<ElementReading>(pageCall(readElement, index, what));
  if (!reading.ok) {
    throw new TrayError(
      'BAD_REQUEST',
      `get value: element ${index} is a <${reading.tag}>, which has no value; ` +
        `try \`get text ${index}\``,
    );
  }
  if ('text' in reading) return { index, text: reading.text, _raw_text: reading.text };
  if ('attributes' in reading) {
    const lines = Object.entries(reading.attributes).map(
      ([name, value]) => `${name}=${JSON.stringify(value)}`,
    );
    return { index, attributes: reading.attributes, _raw_text: lines.join('\n') };
  }
  const checked =
    reading.checked === undefined ? '' : ` (${reading.checked ? 'checked' : 'not checked'})`;
  return {
    index,
    value: reading.value,
    ...(reading.checked === undefined ? {} : { checked: reading.checked }),
    _raw_text: `${reading.value}${checked}`,
  };
}
