import type { Command } from 'commander';
import { absolutePath, parseIndex } from '../parse-args';
import { runAction } from '../session-command';

/** Form controls that need more than a click: drop-down lists and file choosers. */
export function registerFormCommands(program: Command): void {
  program
    .command('select')
    .description('choose an option of the <select> INDEX, by its value or its visible text')
    .argument('<index>', 'element index from `state`')
    .argument('<value>', 'option value or text')
    .action((index: string, value: string, _options, command: Command) =>
      runAction(command, 'select', { index: parseIndex(index), value }),
    );

  program
    .command('upload')
    .description('put FILE into the file input INDEX (or the one nearest to it)')
    .argument('<index>', 'element index from `state`: the input, or its styled button')
    .argument('<file>', 'the file to upload')
    .action((index: string, file: string, _options, command: Command) =>
      runAction(command, 'upload', { index: parseIndex(index), path: absolutePath(file) }),
    );
}
