import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import { runAction } from '../session-command';

/** Tab numbers are 0-based, as `btray tab list` prints them (and the browser-use CLI). */
function parseTabIndex(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new CliError(
      'a tab number is a whole number from 0 (as `btray tab list` shows), ' +
        `got ${JSON.stringify(value)}`,
      EXIT.usage,
    );
  }
  return number;
}

/** `btray tab list|new|switch|close`. */
export function registerTabCommands(program: Command): void {
  const tab = program
    .command('tab')
    .description('list, open, switch and close tabs (numbered from 0, as `tab list` shows)');

  tab
    .command('list')
    .description('the open tabs, tabs the page opened included; * marks the current one')
    .action((_options, command: Command) => runAction(command, 'tab', { tab_command: 'list' }));

  tab
    .command('new')
    .description('open a tab (blank, or at URL) and make it the current one')
    .argument('[url]', 'the address to open')
    .action((url: string | undefined, _options, command: Command) =>
      runAction(command, 'tab', { tab_command: 'new', ...(url ? { url } : {}) }),
    );

  tab
    .command('switch')
    .description('send the next commands to tab N')
    .argument('<n>', 'tab number from `tab list` (from 0)')
    .action((n: string, _options, command: Command) =>
      runAction(command, 'tab', { tab_command: 'switch', tab: parseTabIndex(n) }),
    );

  tab
    .command('close')
    .description('close tabs N… (or the current one); a bad number closes nothing')
    .argument('[n...]', 'tab numbers from `tab list` (from 0)')
    .action((numbers: string[], _options, command: Command) =>
      runAction(command, 'tab', { tab_command: 'close', tabs: numbers.map(parseTabIndex) }),
    );
}
