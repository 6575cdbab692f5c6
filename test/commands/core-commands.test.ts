import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { indexInState, registerBrowserSuite } from '../helpers/browser-suite';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('core');
const home = suite.home;

const send = (action: string, params: Record<string, unknown> = {}) =>
  request(home, 'core', action, params);
const data = <T = Record<string, unknown>>(action: string, params: Record<string, unknown> = {}) =>
  requestData<T>(home, 'core', action, params);
const evaluate = async (js: string) => (await data<{ result: unknown }>('eval', { js })).result;

/** The index `state` gave the first line that contains `needle`. */
async function indexOf(needle: string): Promise<number> {
  const { _raw_text } = await data<{ _raw_text: string }>('state');
  return indexInState(_raw_text, needle);
}

describe('open and state', () => {
  it('opens a page, waits for its load, and reports url and title', async () => {
    const opened = await data<{ url: string; title: string; loaded: boolean }>('open', {
      url: suite.fixtures.url('form.html'),
    });
    expect(opened).toMatchObject({
      url: suite.fixtures.url('form.html'),
      title: 'Sign-up form',
      loaded: true,
    });
  });

  it('lists visible interactive elements with indices, leaving hidden ones out', async () => {
    const state = await data<{ _raw_text: string; element_count: number }>('state');
    expect(state._raw_text).toContain('title: Sign-up form');
    expect(state._raw_text).toMatch(/viewport: 1280x720/);
    expect(state._raw_text).toMatch(/\[\d+\]<input id=first|\[\d+\]<input name=first/);
    expect(state._raw_text).toContain('placeholder="First name"');
    expect(state._raw_text).toContain('<button type=button>Greet</button>');
    expect(state._raw_text).toContain('<a href=done.html>Next page</a>');
    expect(state._raw_text).not.toContain('Invisible');
    expect(state._raw_text).not.toContain('not-listed');
    expect(state.element_count).toBe(8);
  });

  it('reports a failed navigation clearly', async () => {
    const failed = await send('open', { url: 'http://127.0.0.1:9/nothing' });
    expect(failed).toMatchObject({ success: false, code: 'NAVIGATION_FAILED' });
    expect(failed.success ? '' : failed.error).toMatch(/net::ERR_/);
  });
});

describe('input, click, type, keys', () => {
  beforeAll(async () => {
    await data('open', { url: suite.fixtures.url('form.html') });
  });

  it('input clears a field and types into it with real key events', async () => {
    const last = await indexOf('placeholder="Last name"');
    await data('input', { index: last, text: 'Byron' });
    expect(await evaluate('document.getElementById("last").value')).toBe('Byron');

    const first = await indexOf('placeholder="First name"');
    await data('input', { index: first, text: 'Ada' });
    expect(await evaluate('document.getElementById("first").value')).toBe('Ada');
  });

  it('click by index runs the page handler with a trusted event', async () => {
    await data('click', { args: [await indexOf('>Greet<')] });
    expect(await evaluate('document.getElementById("out").textContent')).toBe(
      'Hello Ada (trusted: true)',
    );
  });

  it('dblclick, rightclick and hover reach their handlers', async () => {
    const greet = await indexOf('>Greet<');
    await data('dblclick', { index: greet });
    expect(await evaluate('document.getElementById("out").textContent')).toBe('double');
    await data('rightclick', { index: greet });
    expect(await evaluate('document.getElementById("out").textContent')).toBe('context');
    await data('hover', { index: greet });
    expect(await evaluate('document.body.dataset.hovered')).toBe('yes');
  });

  it('click at coordinates hits what is drawn there', async () => {
    const box = (await evaluate(
      'JSON.stringify(document.getElementById("agree").getBoundingClientRect())',
    )) as string;
    const rect = JSON.parse(box) as { x: number; y: number; width: number; height: number };
    await data('click', { args: [rect.x + rect.width / 2, rect.y + rect.height / 2] });
    expect(await evaluate('document.getElementById("agree").checked')).toBe(true);
  });

  it('type sends text to the focused element; keys sends combinations', async () => {
    await data('click', { args: [await indexOf('<textarea')] });
    await data('type', { text: 'héllo wörld 🙂' });
    expect(await evaluate('document.getElementById("notes").value')).toBe('héllo wörld 🙂');

    await data('keys', { keys: 'Control+a' });
    await data('keys', { keys: 'Backspace' });
    expect(await evaluate('document.getElementById("notes").value')).toBe('');
    expect(await evaluate('document.getElementById("keys").textContent')).toContain('Control+a');
  });

  it('refuses an unknown key with a message naming it', async () => {
    const response = await send('keys', { keys: 'Control+Banana' });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(response.success ? '' : response.error).toContain('Banana');
  });

  it('a click that follows a link waits for the next page', async () => {
    await data('click', { args: [await indexOf('Next page')] });
    expect(await evaluate('document.title')).toBe('Thanks');
  });

  it('a click on a #fragment link answers without waiting for a load that never comes', async () => {
    await data('open', { url: suite.fixtures.url('long.html') });
    const started = Date.now();
    await data('click', { args: [await indexOf('anchor 3<')] });
    // The navigation deadline is 30 s: a click waiting for a load would take that long.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await evaluate('location.hash')).toBe('#s3');
    await data('open', { url: suite.fixtures.url('form.html') });
    await data('click', { args: [await indexOf('Next page')] });
  });

  it('a navigation the page starts by itself after a command is waited for by the next', async () => {
    await data('open', { url: suite.fixtures.url('form.html') });
    // A timer navigates once eval has answered; the next page arrives up to its <title>,
    // then stalls for 1.5 s. Chromium holds DevTools commands only until the new page
    // commits, when it is still empty: the next command must wait until it is parsed.
    const slow = `/done.html?stall=1500&t=${Date.now()}`;
    await data('eval', { js: `setTimeout(() => { location.href = '${slow}' }, 100); 1` });
    await vi.waitFor(() => expect(suite.fixtures.requests).toContain(slow), { timeout: 10_000 });

    expect(await evaluate('document.title')).toBe('Thanks');
    await data('open', { url: suite.fixtures.url('form.html') });
    await data('click', { args: [await indexOf('Next page')] });
  });

  it('back returns to the previous page', async () => {
    const back = await data<{ url: string }>('back');
    expect(back.url).toBe(suite.fixtures.url('form.html'));
    expect(await evaluate('document.title')).toBe('Sign-up form');
  });

  it('Enter in a form submits it and waits for the result page', async () => {
    await data('input', { index: await indexOf('placeholder="First name"'), text: 'Grace' });
    await data('keys', { keys: 'Enter' });
    expect(await evaluate('location.pathname')).toBe('/done.html');
    expect(await evaluate('document.getElementById("query").textContent')).toContain('first=Grace');
  });
});

describe('indices', () => {
  it('an unknown index and a stale one get clear errors', async () => {
    await data('open', { url: suite.fixtures.url('form.html') });
    await data('state');
    const unknown = await send('click', { args: [999] });
    expect(unknown).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
    expect(unknown.success ? '' : unknown.error).toMatch(/listed 8/);

    const greet = await indexOf('>Greet<');
    await evaluate('document.getElementById("greet").remove()');
    const stale = await send('click', { args: [greet] });
    expect(stale).toMatchObject({ success: false, code: 'STALE_ELEMENT' });
  });

  it('a page without a state yet asks for one', async () => {
    await data('open', { url: suite.fixtures.url('done.html') });
    const response = await send('click', { args: [1] });
    expect(response).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
    expect(response.success ? '' : response.error).toContain('btray state');
  });

  it('indexes open shadow roots and same-origin iframes, and clicks inside them', async () => {
    await data('open', { url: suite.fixtures.url('shadow.html') });
    const state = await data<{ _raw_text: string }>('state');
    expect(state._raw_text).toContain('Shadow button');
    expect(state._raw_text).toContain('placeholder="Shadow input"');
    expect(state._raw_text).toContain('Inside the frame');
    expect(state._raw_text).not.toContain('Closed shadow button');

    await data('click', { args: [await indexOf('Shadow button')] });
    expect(await evaluate('document.getElementById("log").textContent')).toBe(
      'shadow button clicked',
    );
    await data('click', { args: [await indexOf('Inside the frame')] });
    expect(await evaluate('document.getElementById("log").textContent')).toBe(
      'iframe button clicked',
    );
  });
});

describe('scroll, eval, get, screenshot', () => {
  it('scrolls with the wheel, and clicks far elements after scrolling them into view', async () => {
    await data('open', { url: suite.fixtures.url('long.html') });
    const down = await data<{ scroll: { y: number } }>('scroll', {
      direction: 'down',
      amount: 800,
    });
    expect(down.scroll.y).toBe(800);
    const up = await data<{ scroll: { y: number } }>('scroll', { direction: 'up', amount: 300 });
    expect(up.scroll.y).toBe(500);

    await data('click', { args: [await indexOf('Bottom button')] });
    expect(await evaluate('document.title')).toBe('bottom clicked');
  });

  it('eval returns values, awaits promises and reports page errors', async () => {
    expect(await evaluate('1 + 1')).toBe(2);
    expect(await evaluate('Promise.resolve({ a: [1, "b"] })')).toEqual({ a: [1, 'b'] });
    const failed = await send('eval', { js: 'throw new Error("boom")' });
    expect(failed).toMatchObject({ success: false, code: 'JS_ERROR' });
    expect(failed.success ? '' : failed.error).toContain('boom');
  });

  it('eval shows what JSON cannot carry, and the value a script threw', async () => {
    for (const value of ['NaN', '-Infinity', '-0', '12n']) {
      expect(await data('eval', { js: value })).toEqual({
        result: null,
        unserializable: value,
        _raw_text: value,
      });
    }

    const thrown = async (js: string) => {
      const response = await send('eval', { js });
      return response.success ? '' : response.error;
    };
    expect(await thrown('throw "plain"')).toBe('JavaScript error: Uncaught plain');
    expect(await thrown('Promise.reject({ code: 1 })')).toBe(
      'JavaScript error: Uncaught (in promise) {"code":1}',
    );
    expect(await thrown('throw { a: 1, b: "x" }')).toBe('JavaScript error: Uncaught {a: 1, b: x}');
  });

  it('get title and html, with and without a selector', async () => {
    await data('open', { url: suite.fixtures.url('form.html') });
    expect(await data('get', { get_command: 'title' })).toMatchObject({ title: 'Sign-up form' });
    const html = await data<{ html: string }>('get', { get_command: 'html', selector: '#greet' });
    expect(html.html).toBe('<button type="button" id="greet">Greet</button>');
    const whole = await data<{ html: string }>('get', { get_command: 'html' });
    expect(whole.html).toMatch(/^<html lang="en">/);
    const missing = await send('get', { get_command: 'html', selector: '#nope' });
    expect(missing).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
  });

  it('screenshot writes a PNG file, returns base64, and captures the full page', async () => {
    await data('open', { url: suite.fixtures.url('long.html') });
    const path = join(home, 'shot.png');
    await data('screenshot', { path });
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(720);

    const full = await data<{ screenshot: string }>('screenshot', { full: true });
    const bytes = Buffer.from(full.screenshot, 'base64');
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(5000);

    const relative = await send('screenshot', { path: 'relative.png' });
    expect(relative).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    const unwritable = await send('screenshot', { path: join(home, 'no', 'such', 'dir.png') });
    expect(unwritable).toMatchObject({ success: false, code: 'FILE_ERROR' });
    expect(existsSync(join(home, 'no'))).toBe(false);
  });

  it('screenshot writes the format its file name asks for, and refuses one it cannot', async () => {
    await data('open', { url: suite.fixtures.url('long.html') });
    await data('screenshot', { path: join(home, 'shot.jpg') });
    expect(readFileSync(join(home, 'shot.jpg')).subarray(0, 3)).toEqual(
      Buffer.from([0xff, 0xd8, 0xff]),
    );
    await data('screenshot', { path: join(home, 'shot.WEBP') });
    expect(readFileSync(join(home, 'shot.WEBP')).subarray(8, 12).toString()).toBe('WEBP');

    const gif = await send('screenshot', { path: join(home, 'shot.gif') });
    expect(gif).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(gif.success ? '' : gif.error).toContain('.gif');
    expect(existsSync(join(home, 'shot.gif'))).toBe(false);
  });
});
