import type { Command } from 'commander';
import { runAction } from '../session-command';

/** `btray get title|html`: read things from the page. */
export function registerGetCommands(program: Command): void {
  const get = program.command('get').description('read from the page: title, html');

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
}
