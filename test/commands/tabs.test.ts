import { describe, expect, it } from 'vitest';
import { registerBrowserSuite } from '../helpers/browser-suite';
import { waitUntil } from '../helpers/processes';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('tabs');
const home = suite.home;

interface TabRow {
  index: number;
  url: string;
  title: string;
  current: boolean;
}

const send = (params: Record<string, unknown>) => request(home, 'tabs', 'tab', params);
const data = <T = Record<string, unknown>>(action: string, params: Record<string, unknown> = {}) =>
  requestData<T>(home, 'tabs', action, params);
const list = async () => (await data<{ tabs: TabRow[] }>('tab', { tab_command: 'list' })).tabs;
const evaluate = async (js: string) => (await data<{ result: unknown }>('eval', { js })).result;

/** Leaves exactly one tab, on `page`. */
async function reset(page: string): Promise<void> {
  const tabs = await list();
  if (tabs.length > 1) {
    await data('tab', { tab_command: 'close', tabs: tabs.slice(1).map((tab) => tab.index) });
  }
  await data('open', { url: suite.fixtures.url(page) });
}

describe('tab list', () => {
  it('numbers tabs from 0 and marks the current one', async () => {
    await reset('tabs.html');
    const tabs = await list();
    expect(tabs).toEqual([
      { index: 0, url: suite.fixtures.url('tabs.html'), title: 'Tabs', current: true },
    ]);
    const raw = await data<{ _raw_text: string }>('tab', { tab_command: 'list' });
    expect(raw._raw_text).toContain(`*0    ${suite.fixtures.url('tabs.html')}  Tabs`);
  });

  it('shows tabs the page opened itself: a target=_blank link and window.open', async () => {
    await reset('tabs.html');
    await data('state');
    await data('click', { args: [1] });
    await data('click', { args: [2] });

    // The popups load on their own; the list has them at once, their addresses once loaded.
    expect((await list()).length).toBe(3);
    await waitUntil(async () => (await list()).every((tab) => tab.title !== ''), 5000);
    const tabs = await list();
    expect(tabs.map((tab) => tab.url)).toEqual([
      suite.fixtures.url('tabs.html'),
      suite.fixtures.url('done.html?from=blank'),
      suite.fixtures.url('done.html?from=popup'),
    ]);
    expect(tabs.map((tab) => tab.current)).toEqual([true, false, false]);

    const state = await data<{ _raw_text: string }>('state');
    expect(state._raw_text).toContain('3 tabs open');
  });
});

describe('tab new and switch', () => {
  it('new opens a tab at the address and makes it current; a bare host gets a scheme', async () => {
    await reset('tabs.html');
    const opened = await data<{ tab: number }>('tab', {
      tab_command: 'new',
      url: suite.fixtures.url('done.html').replace('http://', ''),
    });
    expect(opened.tab).toBe(1);
    await waitUntil(async () => (await list())[1]?.title === 'Thanks', 5000);
    expect(await evaluate('document.title')).toBe('Thanks');
    expect((await list()).map((tab) => tab.current)).toEqual([false, true]);
  });

  it('new without an address opens a blank tab', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new' });
    expect(await evaluate('location.href')).toBe('about:blank');
  });

  it('switch sends the next commands to that tab', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new', url: suite.fixtures.url('done.html') });
    const switched = await data<{ tab: number; _raw_text: string }>('tab', {
      tab_command: 'switch',
      tab: 0,
    });
    expect(switched._raw_text).toBe(`Switched to tab 0: ${suite.fixtures.url('tabs.html')}`);
    expect(await evaluate('document.title')).toBe('Tabs');
    expect((await list()).map((tab) => tab.current)).toEqual([true, false]);
  });

  it('switch to a tab that does not exist names the range', async () => {
    await reset('tabs.html');
    const response = await send({ tab_command: 'switch', tab: 4 });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(response.success ? '' : response.error).toBe('tab switch: no tab 4 (the only tab is 0)');
  });

  it('refuses a negative index and an unknown subcommand, naming the field', async () => {
    const negative = await send({ tab_command: 'switch', tab: -1 });
    expect(negative).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(negative.success ? '' : negative.error).toMatch(/^tab: tab: /);

    const unknown = await send({ tab_command: 'shuffle' });
    expect(unknown).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(unknown.success ? '' : unknown.error).toMatch(/tab_command/);
  });
});

describe('tab close', () => {
  it('closing the current tab moves the focus to a remaining one', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new', url: suite.fixtures.url('done.html') });
    const closed = await data<{ closed: number[]; current: number }>('tab', {
      tab_command: 'close',
      tabs: [],
    });
    expect(closed).toMatchObject({ closed: [1], current: 0 });
    expect(await evaluate('document.title')).toBe('Tabs');
  });

  it('closes several tabs by index, the focus staying where it was', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new', url: suite.fixtures.url('done.html?a') });
    await data('tab', { tab_command: 'new', url: suite.fixtures.url('done.html?b') });
    await data('tab', { tab_command: 'switch', tab: 1 });
    const closed = await data<{ closed: number[] }>('tab', { tab_command: 'close', tabs: [2, 0] });
    expect(closed.closed).toEqual([0, 2]);
    const tabs = await list();
    expect(tabs).toHaveLength(1);
    expect(tabs[0]).toMatchObject({ url: suite.fixtures.url('done.html?a'), current: true });
  });

  it('an index out of range is reported for each one, and nothing is closed', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new' });
    const response = await send({ tab_command: 'close', tabs: [1, 5, 9] });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(response.success ? '' : response.error).toBe(
      'tab close: tab 5 is out of range; tab 9 is out of range (tabs are 0-1); no tab was closed',
    );
    expect(await list()).toHaveLength(2);
  });

  it('closing every tab leaves a blank one, so the session keeps a page', async () => {
    await reset('tabs.html');
    await data('tab', { tab_command: 'new' });
    await data('tab', { tab_command: 'close', tabs: [0, 1] });
    const tabs = await list();
    expect(tabs).toEqual([{ index: 0, url: 'about:blank', title: 'about:blank', current: true }]);
    expect(await evaluate('1 + 1')).toBe(2);
  });
});
