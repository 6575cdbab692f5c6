/** How `btray` exits: scripts branch on these. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (an unknown element, a page error, a dead browser). */
  commandError: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

/** An error that should print a message and exit with a given code, without a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.commandError,
    readonly hint?: string,
  ) {
    super(message);
  }
}
