import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import type { PageSession } from '../browser/page-session';
import type { TabList } from '../browser/tab-list';
import { defineCommand } from './command';
import { normalizeUrl } from './navigation';

/**
 * Tab indices are 0-based, as the browser-use CLI's `tab list` prints them; `tab switch`
 * and `tab close` take the same numbers.
 */
const tabIndex = z.coerce.number().int().min(0, 'tab indices start at 0');

const tabParams = z.discriminatedUnion('tab_command', [
  z.object({ tab_command: z.literal('list') }),
  z.object({ tab_command: z.literal('new'), url: z.string().optional() }),
  z.object({ tab_command: z.literal('switch'), tab: tabIndex }),
  z.object({ tab_command: z.literal('close'), tabs: z.array(tabIndex).default([]) }),
]);

interface TabRow {
  index: number;
  url: string;
  title: string;
  current: boolean;
}

function rows(tabs: TabList): TabRow[] {
  const current = tabs.list.length > 0 ? tabs.current : undefined;
  return tabs.list.map((page, index) => ({
    index,
    url: page.url,
    title: page.title,
    current: page === current,
  }));
}

/** `*` marks the tab commands go to. */
function formatRows(list: TabRow[]): string {
  const lines = list.map((row) => {
    const mark = row.current ? '*' : ' ';
    const title = row.title ? `  ${row.title}` : '';
    return `${mark}${String(row.index).padEnd(4)} ${row.url}${title}`;
  });
  return [' TAB  URL  TITLE', ...lines].join('\n');
}

function rangeText(tabs: TabList): string {
  const count = tabs.list.length;
  return count === 1 ? 'the only tab is 0' : `tabs are 0-${count - 1}`;
}

export const tabCommand = defineCommand({
  action: 'tab',
  params: tabParams,
  async run({ browser }, params) {
    const tabs = browser.tabs;
    await tabs.sync();

    switch (params.tab_command) {
      case 'list': {
        const list = rows(tabs);
        return { tabs: list, _raw_text: formatRows(list) };
      }
      case 'new': {
        const url = params.url ? normalizeUrl(params.url) : 'about:blank';
        const page = await tabs.open(url);
        const index = tabs.indexOf(page);
        return { tab: index, url, _raw_text: `Opened tab ${index}: ${url}` };
      }
      case 'switch': {
        const page = tabs.list[params.tab];
        if (!page) {
          throw new TrayError(
            'BAD_REQUEST',
            `tab switch: no tab ${params.tab} (${rangeText(tabs)})`,
          );
        }
        await tabs.focus(page);
        return {
          tab: params.tab,
          url: page.url,
          _raw_text: `Switched to tab ${params.tab}: ${page.url}`,
        };
      }
      case 'close':
        return closeTabs(tabs, params.tabs);
    }
  },
});

/**
 * Closes the given tabs (the current one when none is given). Every index is checked
 * first: one out of range closes nothing, and the error names each bad index. The last
 * tab is replaced by a blank one, so the session always has a page to work in.
 */
async function closeTabs(tabs: TabList, indices: number[]) {
  const unique = [...new Set(indices)];
  const bad = unique.filter((index) => index >= tabs.list.length);
  if (bad.length > 0) {
    const each = bad.map((index) => `tab ${index} is out of range`).join('; ');
    throw new TrayError(
      'BAD_REQUEST',
      `tab close: ${each} (${rangeText(tabs)}); no tab was closed`,
    );
  }

  const doomed: PageSession[] =
    unique.length === 0 ? [tabs.current] : unique.map((index) => tabs.list[index] as PageSession);
  const closed = doomed.map((page) => tabs.indexOf(page)).sort((a, b) => a - b);
  if (doomed.length === tabs.list.length) await tabs.open('about:blank');
  for (const page of doomed) await tabs.close(page);

  const current = tabs.current;
  const focus = tabs.indexOf(current);
  return {
    closed,
    current: focus,
    _raw_text:
      `Closed tab${closed.length === 1 ? '' : 's'} ${closed.join(', ')}; ` +
      `now on tab ${focus}: ${current.url}`,
  };
}
