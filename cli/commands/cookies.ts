import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import { absolutePath, parseNumber } from '../parse-args';
import { runAction } from '../session-command';

interface SetOptions {
  domain?: string;
  path: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  expires?: string;
}

const SAME_SITE = ['Strict', 'Lax', 'None'];

/** `btray cookies get|set|clear|export|import`. */
export function registerCookieCommands(program: Command): void {
  const cookies = program
    .command('cookies')
    .description("read, set, clear, export and import the browser's cookies");

  cookies
    .command('get')
    .description('list cookies: all, or those a request to --url would send')
    .option('--url <url>', 'only the cookies for this address')
    .action((options: { url?: string }, command: Command) =>
      runAction(command, 'cookies', { cookies_command: 'get', ...urlParam(options) }),
    );

  cookies
    .command('set')
    .description("set a cookie (for the current page's host unless --domain is given)")
    .argument('<name>')
    .argument('<value>')
    .option('--domain <domain>', 'e.g. example.com, or .example.com for its subdomains too')
    .option('--path <path>', 'the path it applies to', '/')
    .option('--secure', 'only sent over https')
    .option('--http-only', 'hidden from page scripts')
    .option('--same-site <mode>', 'Strict, Lax or None (None needs --secure)')
    .option('--expires <seconds>', 'expiry in seconds since the epoch (default: a session cookie)')
    .action((name: string, value: string, options: SetOptions, command: Command) => {
      if (options.sameSite !== undefined && !SAME_SITE.includes(options.sameSite)) {
        throw new CliError(
          `--same-site must be Strict, Lax or None, got ${options.sameSite}`,
          EXIT.usage,
        );
      }
      return runAction(command, 'cookies', {
        cookies_command: 'set',
        name,
        value,
        path: options.path,
        secure: options.secure ?? false,
        http_only: options.httpOnly ?? false,
        ...(options.domain ? { domain: options.domain } : {}),
        ...(options.sameSite ? { same_site: options.sameSite } : {}),
        ...(options.expires ? { expires: parseExpiry(options.expires) } : {}),
      });
    });

  cookies
    .command('clear')
    .description('delete all cookies, or those a request to --url would send')
    .option('--url <url>', 'only the cookies for this address')
    .action((options: { url?: string }, command: Command) =>
      runAction(command, 'cookies', { cookies_command: 'clear', ...urlParam(options) }),
    );

  cookies
    .command('export')
    .description('write cookies to a JSON file (mode 0600: cookies are credentials)')
    .argument('<file>')
    .option('--url <url>', 'only the cookies for this address')
    .action((file: string, options: { url?: string }, command: Command) =>
      runAction(command, 'cookies', {
        cookies_command: 'export',
        file: absolutePath(file),
        ...urlParam(options),
      }),
    );

  cookies
    .command('import')
    .description('set the cookies of a JSON file written by `cookies export`; a bad file sets none')
    .argument('<file>')
    .action((file: string, _options, command: Command) =>
      runAction(command, 'cookies', { cookies_command: 'import', file: absolutePath(file) }),
    );
}

/** `--url` must be a whole address: a cookie's match needs a scheme and a host. */
function urlParam(options: { url?: string }): { url?: string } {
  if (options.url === undefined) return {};
  if (!URL.canParse(options.url)) {
    throw new CliError(
      `--url must be a full address such as https://example.com/, got ${JSON.stringify(options.url)}`,
      EXIT.usage,
    );
  }
  return { url: options.url };
}

/** Seconds since the epoch, after it: a cookie that expired before 1970 means nothing. */
function parseExpiry(value: string): number {
  const seconds = parseNumber(value, '--expires');
  if (seconds <= 0)
    throw new CliError(`--expires is seconds since the epoch, from 1, got ${value}`, EXIT.usage);
  return seconds;
}
