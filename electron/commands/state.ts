import { z } from 'zod';
import {
  collectInteractiveElements,
  formatPageState,
  type IndexedPageState,
  pageCall,
} from '../browser/dom-index';
import { defineCommand } from './command';

export const stateCommand = defineCommand({
  action: 'state',
  params: z.object({}),
  async run({ browser }) {
    const page = browser.page;
    const state = await page.evaluate<IndexedPageState>(pageCall(collectInteractiveElements, 80));
    const notes = page.takeDialogNotes();
    const tabs = browser.tabs.list.length;
    if (tabs > 1) notes.push(`${tabs} tabs open; \`btray tab list\` shows them`);
    return {
      url: state.url,
      title: state.title,
      viewport: state.viewport,
      page: state.page,
      scroll: state.scroll,
      element_count: state.count,
      _raw_text: formatPageState(state, notes),
    };
  },
});
