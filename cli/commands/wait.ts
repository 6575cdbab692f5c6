import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import { nonEmpty, parseMilliseconds } from '../parse-args';
import { runAction } from '../session-command';

const STATES = ['attached', 'detached', 'visible', 'hidden'];

/**
 * `btray wait selector|text`: exits 0 once found, 1 when the time is up, so scripts can
 * chain on it.
 */
export function registerWaitCommands(program: Command): void {
  const wait = program
    .command('wait')
    .description('wait for an element or text to appear (exit code 1 when the time is up)');

  wait
    .command('selector')
    .description('wait until the first element matching CSS is in --state')
    .argument('<css>', 'a CSS selector, e.g. "#results li"')
    .option('--state <state>', 'attached, detached, visible or hidden', 'visible')
    .option('--timeout <ms>', 'give up after this long', '30000')
    .action((css: string, options: { state: string; timeout: string }, command: Command) => {
      if (!STATES.includes(options.state)) {
        throw new CliError(
          `--state must be attached, detached, visible or hidden, got ${options.state}`,
          EXIT.usage,
        );
      }
      return runAction(command, 'wait', {
        wait_command: 'selector',
        selector: css,
        state: options.state,
        timeout: parseMilliseconds(options.timeout, '--timeout'),
      });
    });

  wait
    .command('text')
    .description('wait until TEXT is shown on the page')
    .argument('<text>')
    .option('--timeout <ms>', 'give up after this long', '30000')
    .action((text: string, options: { timeout: string }, command: Command) =>
      runAction(command, 'wait', {
        wait_command: 'text',
        text: nonEmpty(text, 'the text to wait for'),
        timeout: parseMilliseconds(options.timeout, '--timeout'),
      }),
    );
}
