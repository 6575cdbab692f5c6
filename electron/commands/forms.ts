import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { errorMessage, TrayError } from '../../shared/errors';
import { pageCall } from '../browser/dom-index';
import { defineCommand } from './command';
import { elementIndex } from './element-params';

type SelectOutcome =
  | { ok: true; value: string; text: string }
  | { ok: false; reason: 'not-select'; tag: string }
  | { ok: false; reason: 'disabled' }
  | { ok: false; reason: 'no-option'; options: Array<{ value: string; text: string }> };

/**
 * Runs in the page: picks the option whose value, or else visible text, matches, and fires
 * `input` then `change` as a person's choice does.
 */
function selectOption(index: number, wanted: string): SelectOutcome {
  const el = (window as unknown as { __btrayIndex: Element[] }).__btrayIndex[index - 1];
  if (!(el instanceof HTMLSelectElement))
    return { ok: false, reason: 'not-select', tag: el?.localName ?? '?' };
  if (el.disabled) return { ok: false, reason: 'disabled' };

  const options = [...el.options];
  const label = (option: HTMLOptionElement): string => option.text.replace(/\s+/g, ' ').trim();
  const folded = wanted.trim().toLowerCase();
  const option =
    options.find((candidate) => candidate.value === wanted) ??
    options.find((candidate) => label(candidate) === wanted.trim()) ??
    options.find((candidate) => label(candidate).toLowerCase() === folded);
  if (!option || option.disabled) {
    return {
      ok: false,
      reason: 'no-option',
      options: options
        .filter((candidate) => !candidate.disabled)
        .map((candidate) => ({ value: candidate.value, text: label(candidate) })),
    };
  }

  el.focus();
  // Picking the option already chosen changes nothing, and a browser fires no event then.
  if (option.selected && !el.multiple)
    return { ok: true, value: option.value, text: label(option) };
  if (el.multiple) for (const other of options) other.selected = false;
  option.selected = true;
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return { ok: true, value: option.value, text: label(option) };
}

export const selectCommand = defineCommand({
  action: 'select',
  params: z.object({ index: elementIndex, value: z.string() }),
  async run({ browser }, { index, value }) {
    const page = browser.page;
    await page.locate(index);
    const outcome = await page.evaluate<SelectOutcome>(pageCall(selectOption, index, value));
    if (outcome.ok) {
      return {
        index,
        value: outcome.value,
        text: outcome.text,
        _raw_text:
          `Selected ${JSON.stringify(outcome.text)} (value ${JSON.stringify(outcome.value)}) ` +
          `in element ${index}`,
      };
    }

    switch (outcome.reason) {
      case 'not-select':
        throw new TrayError(
          'BAD_REQUEST',
          `select: element ${index} is a <${outcome.tag}>, not a <select>; ` +
            'for a custom dropdown, click it and then the option',
        );
      case 'disabled':
        throw new TrayError('BAD_REQUEST', `select: element ${index} is disabled`);
      case 'no-option': {
        const shown = outcome.options
          .slice(0, 20)
          .map(
            (option) =>
              JSON.stringify(option.text) +
              (option.value === option.text ? '' : ` (value ${JSON.stringify(option.value)})`),
          );
        const more = outcome.options.length > 20 ? `, … ${outcome.options.length - 20} more` : '';
        throw new TrayError(
          'NO_SUCH_ELEMENT',
          `select: element ${index} has no option with value or text ${JSON.stringify(value)}; ` +
            `options: ${shown.join(', ')}${more}`,
        );
      }
    }
  },
});

/**
 * Runs in the page on the indexed element: the file input it is, the one its label
 * controls, one inside it, or else the first one in its nearest ancestor (up to three
 * levels) that holds one: styled upload buttons usually hide the real input next to them.
 */
function nearestFileInput(this: Element): HTMLInputElement | null {
  const isFileInput = (node: unknown): node is HTMLInputElement =>
    node instanceof HTMLInputElement && node.type === 'file';
  if (isFileInput(this)) return this;
  const control = this.closest('label')?.control;
  if (isFileInput(control)) return control;
  // Near means within a few levels and below <body>: not any file input on the page.
  let node: Element | null = this;
  for (let level = 0; node && level <= 3 && node !== document.body; level++) {
    const found = node.querySelector('input[type=file]');
    if (isFileInput(found)) return found;
    node = node.parentElement;
  }
  return null;
}

/** Refuses what a file chooser would never offer: nothing there, a folder, an empty file. */
async function checkUploadFile(path: string): Promise<number> {
  if (!isAbsolute(path)) {
    throw new TrayError(
      'BAD_REQUEST',
      `upload: path must be absolute (the CLI resolves relative ones), got ${path}`,
    );
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TrayError(
      'FILE_ERROR',
      missing
        ? `upload: there is no file ${path}`
        : `upload: cannot read ${path}: ${errorMessage(error)}`,
    );
  }
  if (info.isDirectory())
    throw new TrayError('FILE_ERROR', `upload: ${path} is a directory; give a file`);
  if (!info.isFile()) throw new TrayError('FILE_ERROR', `upload: ${path} is not a regular file`);
  if (info.size === 0) throw new TrayError('FILE_ERROR', `upload: ${path} is empty (0 bytes)`);
  return info.size;
}

export const uploadCommand = defineCommand({
  action: 'upload',
  params: z.object({ index: elementIndex, path: z.string().min(1) }),
  async run({ browser }, { index, path }) {
    const size = await checkUploadFile(path);

    const page = browser.page;
    const objectId = await page.elementObjectId(index);
    const { result } = await page.send('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: String(nearestFileInput),
    });
    if (!result.objectId) {
      throw new TrayError(
        'NO_SUCH_ELEMENT',
        `upload: element ${index} is not a file input and there is no file input near it`,
      );
    }

    await page.send('DOM.setFileInputFiles', { files: [path], objectId: result.objectId });
    return {
      index,
      path,
      size_bytes: size,
      _raw_text: `Uploaded ${path} (${size} bytes) to the file input of element ${index}`,
    };
  },
});
