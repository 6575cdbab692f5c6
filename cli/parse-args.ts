import { isAbsolute, resolve } from 'node:path';
import { CliError, EXIT } from './exit-codes';

/** A whole number from 1, as `state` prints element indices. */
export function parseIndex(value: string, what = 'index'): number {
  return parsePositiveInteger(value, what, ' (as `btray state` lists them)');
}

/** A whole number from 1: an amount, a count. */
export function parsePositiveInteger(value: string, what: string, note = ''): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new CliError(
      `${what} must be a whole number from 1${note}, got ${JSON.stringify(value)}`,
      EXIT.usage,
    );
  }
  return number;
}

export function parseNumber(value: string, what: string): number {
  const number = Number(value);
  if (!Number.isFinite(number))
    throw new CliError(`${what} must be a number, got ${JSON.stringify(value)}`, EXIT.usage);
  return number;
}

/** The daemon may run elsewhere (another cwd): paths are made absolute here. */
export function absolutePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
