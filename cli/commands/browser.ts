import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import {
  absolutePath,
  nonEmpty,
  parseIndex,
  parseMilliseconds,
  parseNumber,
  parsePositiveInteger,
  urlOrFile,
} from '../parse-args';
import { runAction } from '../session-command';

/** The page commands of issue 2: navigate, read, click, type, evaluate. */
export function registerBrowserCommands(program: Command): void {
  program
    .command('open')
    .description('open a URL or a local file in the current tab (a bare host gets https://)')
    .argument('<url>', 'the address, e.g. example.com, http://localhost:8080 or ./page.html')
    .action((url: string, _options, command: Command) => {
      if (url.trim().length === 0)
        throw new CliError('open needs a URL, got an empty one', EXIT.usage);
      return runAction(command, 'open', { url: urlOrFile(url) });
    });

  program
    .command('state')
    .description('list the interactive elements of the page with their indices')
    .action((_options, command: Command) => runAction(command, 'state'));

  program
    .command('click')
    .description('click element INDEX (from `state`), or the point X Y')
    .argument('<index-or-x>', 'element index, or x coordinate')
    .argument('[y]', 'y coordinate, when clicking a point')
    .action((first: string, y: string | undefined, _options, command: Command) => {
      const args =
        y === undefined ? [parseIndex(first)] : [parseNumber(first, 'x'), parseNumber(y, 'y')];
      return runAction(command, 'click', { args });
    });

  for (const [name, verb] of [
    ['dblclick', 'double-click'],
    ['rightclick', 'right-click'],
    ['hover', 'move the pointer over'],
  ] as const) {
    program
      .command(name)
      .description(`${verb} element INDEX`)
      .argument('<index>', 'element index from `state`')
      .action((index: string, _options, command: Command) =>
        runAction(command, name, { index: parseIndex(index) }),
      );
  }

  program
    .command('type')
    .description('type TEXT into the focused element, key by key')
    .argument('<text>')
    .action((text: string, _options, command: Command) => runAction(command, 'type', { text }));

  program
    .command('input')
    .description('click element INDEX, clear it, and type TEXT')
    .argument('<index>', 'element index from `state`')
    .argument('<text>')
    .action((index: string, text: string, _options, command: Command) =>
      runAction(command, 'input', { index: parseIndex(index), text }),
    );

  program
    .command('keys')
    .description('press a key or combination: Enter, Escape, Control+a, Shift+Tab')
    .argument('<keys>')
    .action((keys: string, _options, command: Command) =>
      runAction(command, 'keys', { keys: nonEmpty(keys, 'the keys to press') }),
    );

  program
    .command('scroll')
    .description('scroll the page with the mouse wheel')
    .argument('[direction]', 'up or down', 'down')
    .option('--amount <px>', 'how far, in pixels', '500')
    .action((direction: string, options: { amount: string }, command: Command) => {
      if (direction !== 'up' && direction !== 'down')
        throw new CliError(`direction must be up or down, got ${direction}`, EXIT.usage);
      return runAction(command, 'scroll', {
        direction,
        amount: parsePositiveInteger(options.amount, '--amount'),
      });
    });

  program
    .command('back')
    .description('go back one page in the current tab')
    .action((_options, command: Command) => runAction(command, 'back'));

  program
    .command('screenshot')
    .description('save a screenshot to PATH (.png, .jpg or .webp), or print it as base64 PNG')
    .argument('[path]')
    .option('--full', 'the whole page, not only the viewport')
    .action((path: string | undefined, options: { full?: boolean }, command: Command) =>
      runAction(command, 'screenshot', {
        ...(path ? { path: absolutePath(path) } : {}),
        full: options.full ?? false,
      }),
    );

  program
    .command('eval')
    .description('evaluate JavaScript in the page and print the result')
    .argument('<js>', 'an expression; promises are awaited')
    .option('--timeout <ms>', 'how long to wait for a promise (default 30000, at most 600000)')
    .action((js: string, options: { timeout?: string }, command: Command) => {
      const timeout =
        options.timeout === undefined ? undefined : parseMilliseconds(options.timeout, '--timeout');
      return runAction(command, 'eval', { js, ...(timeout === undefined ? {} : { timeout }) });
    });
}
