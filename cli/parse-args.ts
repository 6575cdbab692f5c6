import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** A whole number of milliseconds from 1: a `--timeout`. */
export function parseMilliseconds(value: string, what: string): number {
  return parsePositiveInteger(value, what, ' (milliseconds)');
}

/** An argument that means nothing when empty: keys to press, text to wait for. */
export function nonEmpty(value: string, what: string): string {
  if (value.length === 0) throw new CliError(`${what} must not be empty`, EXIT.usage);
  return value;
}

/** The daemon may run elsewhere (another cwd): paths are made absolute here. */
export function absolutePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/**
 * `btray open page.html` or `open ./site/index.html`: a file that exists here becomes its
 * file:// URL (the daemon has another working folder). Anything else is left for the
 * daemon, which adds a scheme to a bare host or names what is not a URL.
 */
export function urlOrFile(value: string): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  if (hasScheme || !existsSync(value)) return value;
  return pathToFileURL(absolutePath(value)).href;
}
