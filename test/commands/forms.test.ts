import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { indexInState, registerBrowserSuite } from '../helpers/browser-suite';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('forms');
const home = suite.home;
let indices: Record<string, number>;

const send = (action: string, params: Record<string, unknown>) =>
  request(home, 'forms', action, params);
const data = <T = Record<string, unknown>>(action: string, params: Record<string, unknown> = {}) =>
  requestData<T>(home, 'forms', action, params);
const evaluate = async (js: string) => (await data<{ result: unknown }>('eval', { js })).result;
const log = () => evaluate('document.getElementById("log").textContent');
const errorOf = (response: Awaited<ReturnType<typeof send>>) =>
  response.success ? '' : response.error;

/** The index `state` gives each line of controls.html, by a word of that line. */
async function indexControls(): Promise<Record<string, number>> {
  const { _raw_text } = await data<{ _raw_text: string }>('state');
  const find = (needle: string): number => indexInState(_raw_text, needle);
  return {
    fruit: find('name=fruit'),
    off: find('selected=Nothing'),
    plain: find('name=plain'),
    choose: find('Choose avatar'),
    name: find('aria-label=Name'),
    tick: find('type=checkbox'),
    box: find('title="A box"'),
  };
}

beforeAll(async () => {
  writeFileSync(join(home, 'photo.txt'), 'not really a photo');
  writeFileSync(join(home, 'empty.txt'), '');
  mkdirSync(join(home, 'folder'));
});

beforeEach(async () => {
  await data('open', { url: suite.fixtures.url('controls.html') });
  indices = await indexControls();
});

describe('select', () => {
  it('picks an option by its value and fires input then change', async () => {
    const picked = await data('select', { index: indices.fruit, value: 'a' });
    expect(picked).toMatchObject({ value: 'a', text: 'Apple' });
    expect(await evaluate('document.getElementById("fruit").value')).toBe('a');
    expect(await log()).toBe('input:a;change:a;');
  });

  it('picks by visible text, spaces tidied, case ignored if nothing matches exactly', async () => {
    await data('select', { index: indices.fruit, value: 'Banana split' });
    expect(await evaluate('document.getElementById("fruit").value')).toBe('b');
    await data('select', { index: indices.fruit, value: 'apple' });
    expect(await evaluate('document.getElementById("fruit").value')).toBe('a');
  });

  it('choosing the option already chosen fires nothing, as in a browser', async () => {
    await data('select', { index: indices.fruit, value: 'a' });
    await data('select', { index: indices.fruit, value: 'a' });
    expect(await log()).toBe('input:a;change:a;');
  });

  it('an unknown or disabled option is refused with the list of options', async () => {
    for (const value of ['Durian', 'Cherry']) {
      const response = await send('select', { index: indices.fruit, value });
      expect(response).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
      expect(errorOf(response)).toBe(
        `select: element ${indices.fruit} has no option with value or text ` +
          `${JSON.stringify(value)}; ` +
          'options: "Pick one" (value ""), "Apple" (value "a"), "Banana split" (value "b")',
      );
    }
    expect(await log()).toBe('');
  });

  it('a disabled select and an element that is no select are refused', async () => {
    const disabled = await send('select', { index: indices.off, value: 'Nothing' });
    expect(disabled).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(errorOf(disabled)).toBe(`select: element ${indices.off} is disabled`);

    const input = await send('select', { index: indices.name, value: 'x' });
    expect(input).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(errorOf(input)).toContain('is a <input>, not a <select>');
  });

  it('an index that does not exist gets the usual element error', async () => {
    const response = await send('select', { index: 99, value: 'a' });
    expect(response).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
  });
});

describe('upload', () => {
  it('puts a file into the file input at the index, which the page sees', async () => {
    const file = join(home, 'photo.txt');
    const uploaded = await data('upload', { index: indices.plain, path: file });
    expect(uploaded).toMatchObject({ path: file, size_bytes: 18 });
    expect(await log()).toBe('plain:photo.txt:18;');
  });

  it('finds the hidden file input next to a styled upload button', async () => {
    await data('upload', { index: indices.choose, path: join(home, 'photo.txt') });
    expect(await log()).toBe('hidden-file:photo.txt:18;');
  });

  it('an element with no file input near it is refused', async () => {
    const response = await send('upload', { index: indices.fruit, path: join(home, 'photo.txt') });
    expect(response).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
    expect(errorOf(response)).toBe(
      `upload: element ${indices.fruit} is not a file input and there is no file input near it`,
    );
  });

  it('missing, empty, directory and relative paths get clear errors, upload nothing', async () => {
    const cases: Array<[string, string, string]> = [
      [
        join(home, 'absent.txt'),
        'FILE_ERROR',
        `upload: there is no file ${join(home, 'absent.txt')}`,
      ],
      [
        join(home, 'empty.txt'),
        'FILE_ERROR',
        `upload: ${join(home, 'empty.txt')} is empty (0 bytes)`,
      ],
      [
        join(home, 'folder'),
        'FILE_ERROR',
        `upload: ${join(home, 'folder')} is a directory; give a file`,
      ],
      [
        'photo.txt',
        'BAD_REQUEST',
        'upload: path must be absolute (the CLI resolves relative ones), got photo.txt',
      ],
    ];
    for (const [path, code, message] of cases) {
      const response = await send('upload', { index: indices.plain, path });
      expect(response).toMatchObject({ success: false, code });
      expect(errorOf(response)).toBe(message);
    }
    expect(await log()).toBe('');
  });
});

describe('get text, value, attributes, bbox', () => {
  it('text is what the element shows', async () => {
    expect(await data('get', { get_command: 'text', index: indices.box })).toMatchObject({
      text: 'Boxed text',
      _raw_text: 'Boxed text',
    });
  });

  it('value reads form fields, and a checkbox tells whether it is checked', async () => {
    await data('input', { index: indices.name, text: 'Ada' });
    expect(await data('get', { get_command: 'value', index: indices.name })).toMatchObject({
      value: 'Ada',
    });
    expect(await data('get', { get_command: 'value', index: indices.tick })).toMatchObject({
      value: 'yes',
      checked: true,
      _raw_text: 'yes (checked)',
    });
  });

  it('value of an element that has none says so', async () => {
    await data('open', { url: suite.fixtures.url('form.html') });
    const { _raw_text } = await data<{ _raw_text: string }>('state');
    const link = Number(/\[(\d+)\]<a /.exec(_raw_text)?.[1]);
    const response = await send('get', { get_command: 'value', index: link });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(errorOf(response)).toBe(
      `get value: element ${link} is a <a>, which has no value; try \`get text ${link}\``,
    );
  });

  it('attributes lists every attribute', async () => {
    const read = await data('get', { get_command: 'attributes', index: indices.name });
    expect(read.attributes).toEqual({
      id: 'name',
      name: 'name',
      value: 'Grace',
      'data-role': 'person',
      'aria-label': 'Name',
    });
    expect(read._raw_text).toContain('data-role="person"');
  });

  it('bbox is the box in viewport pixels, as the page measures it', async () => {
    const read = await data<{ bbox: Record<string, number>; _raw_text: string }>('get', {
      get_command: 'bbox',
      index: indices.box,
    });
    const rect = JSON.parse(
      (await evaluate(
        'JSON.stringify(document.getElementById("box").getBoundingClientRect())',
      )) as string,
    ) as Record<string, number>;
    expect(read.bbox).toEqual({ x: rect.x, y: rect.y, width: rect.width, height: rect.height });
    expect(read._raw_text).toBe(`x=100 y=300 width=${rect.width} height=${rect.height}`);
  });

  it('needs an index for element reads, and an unknown one is an element error', async () => {
    const without = await send('get', { get_command: 'bbox' });
    expect(without).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(errorOf(without)).toMatch(/^get: index: /);

    const unknown = await send('get', { get_command: 'text', index: 42 });
    expect(unknown).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
  });
});
