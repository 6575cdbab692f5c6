import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import { absolutePath } from '../parse-args';
import { runAction } from '../session-command';

const MAX_FRAMERATE = 60;

function parseFramerate(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > MAX_FRAMERATE) {
    throw new CliError(
      `--framerate must be a whole number from 1 to ${MAX_FRAMERATE}, got ${JSON.stringify(value)}`,
      EXIT.usage,
    );
  }
  return number;
}

/** `btray record start|stop|status`: a video of what the session's focused tab shows. */
export function registerRecordCommands(program: Command): void {
  const record = program
    .command('record')
    .description('record the focused tab to an MP4 (H.264), finished on every way a session ends');

  record
    .command('start')
    .description('start recording to PATH; the video follows the focused tab')
    .argument('<path>', 'the MP4 to write (relative to the current folder)')
    .option('--framerate <fps>', 'frames per second, 1 to 60', '30')
    .option('--overwrite', 'replace a video already at PATH (kept by default)')
    .action((path: string, options: { framerate: string; overwrite?: true }, command: Command) =>
      runAction(command, 'record', {
        record_command: 'start',
        path: absolutePath(path),
        overwrite: options.overwrite ?? false,
        framerate: parseFramerate(options.framerate),
      }),
    );

  record
    .command('stop')
    .description('finish the video; prints its path, duration, frame count and size')
    .action((_options, command: Command) =>
      runAction(command, 'record', { record_command: 'stop' }, { start: false }),
    );

  record
    .command('status')
    .description('path, framerate, elapsed time, frames and size of the recording')
    .action((_options, command: Command) =>
      runAction(command, 'record', { record_command: 'status' }, { start: false }),
    );
}
