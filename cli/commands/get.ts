import type { Command } from 'commander';
import { parseIndex } from '../parse-args';
import { runAction } from '../session-command';

const ELEMENT_READS = [
  ['text', 'the text element INDEX shows'],
  ['value', 'the value of the form field INDEX (and whether a checkbox is checked)'],
  ['attributes', 'the attributes of element INDEX, one per line'],
  ['bbox', 'the box of element INDEX in viewport pixels: x, y, width, height'],
] as const;

/** `btray get title|html|text|value|attributes|bbox`: read things from the page. */
export function registerGetCommands(program: Command): void {
  const get = program
    .command('get')
    .description('read from the page: title, html, or text|value|attributes|bbox of an element');

  get
    .command('title')
    .description('the page title')
    .action((_options, command: Command) => runAction(command, 'get', { get_command: 'title' }));

  get
    .command('html')
    .description('the page HTML, or that of the first element matching --selector')
    .option('--selector <css>', 'a CSS selector')
    .action((options: { selector?: string }, command: Command) =>
      runAction(command, 'get', {
        get_command: 'html',
        ...(options.selector ? { selector: options.selector } : {}),
      }),
    );

  for (const [what, description] of ELEMENT_READS) {
    get
      .command(what)
      .description(description)
      .argument('<index>', 'element index from `state`')
      .action((index: string, _options, command: Command) =>
        runAction(command, 'get', { get_command: what, index: parseIndex(index) }),
      );
  }
}
