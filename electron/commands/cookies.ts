import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import { CookieJar, type CookieParam } from '../browser/cookie-jar';
import type { PageSession } from '../browser/page-session';
import { defineCommand } from './command';
import {
  type CookieRecord,
  readCookieFile,
  toParam,
  toRecord,
  writeCookieFile,
} from './cookie-file';
import { normalizeUrl } from './navigation';

const absoluteFile = z
  .string()
  .min(1)
  .refine(isAbsolute, 'must be an absolute path (the CLI resolves relative ones)');

/** `--url` narrows to the cookies a request to that address would send. */
const urlFilter = z
  .string()
  .min(1)
  .transform((url) => normalizeUrl(url))
  .optional();

const cookiesParams = z.discriminatedUnion('cookies_command', [
  z.object({ cookies_command: z.literal('get'), url: urlFilter }),
  z.object({
    cookies_command: z.literal('set'),
    name: z.string().min(1),
    value: z.string(),
    domain: z.string().min(1).optional(),
    path: z.string().startsWith('/', 'must start with /').default('/'),
    secure: z.boolean().default(false),
    http_only: z.boolean().default(false),
    same_site: z.enum(['Strict', 'Lax', 'None']).optional(),
    expires: z.coerce.number().positive('must be seconds since the epoch').optional(),
  }),
  z.object({ cookies_command: z.literal('clear'), url: urlFilter }),
  z.object({ cookies_command: z.literal('export'), file: absoluteFile, url: urlFilter }),
  z.object({ cookies_command: z.literal('import'), file: absoluteFile }),
]);

type SetParams = Extract<z.infer<typeof cookiesParams>, { cookies_command: 'set' }>;

export const cookiesCommand = defineCommand({
  action: 'cookies',
  params: cookiesParams,
  async run({ browser }, params) {
    const jar = new CookieJar(browser);

    switch (params.cookies_command) {
      case 'get': {
        const cookies = (await jar.list(params.url)).map(toRecord);
        return { cookies, _raw_text: formatCookies(cookies) };
      }
      case 'set': {
        await jar.set([cookieToSet(params, browser.page)]);
        return { set: params.name, _raw_text: `Set cookie ${params.name}` };
      }
      case 'clear': {
        const cleared = await jar.clear(params.url);
        const scope = params.url ? ` for ${params.url}` : '';
        return {
          cleared,
          _raw_text: `Cleared ${count(cleared)}${scope}`,
        };
      }
      case 'export': {
        const cookies = (await jar.list(params.url)).map(toRecord);
        await writeCookieFile(params.file, cookies);
        return {
          exported: cookies.length,
          file: params.file,
          _raw_text: `Exported ${count(cookies.length)} to ${params.file}`,
        };
      }
      case 'import': {
        const records = await readCookieFile(params.file);
        await jar.set(records.map(toParam));
        return {
          imported: records.length,
          file: params.file,
          _raw_text: `Imported ${count(records.length)} from ${params.file}`,
        };
      }
    }
  },
});

/**
 * Without `--domain` the cookie belongs to the current page's host (host-only, as the
 * page itself would set it), which needs a page with an http(s) address.
 */
function cookieToSet(params: SetParams, page: PageSession): CookieParam {
  if (params.same_site === 'None' && !params.secure) {
    throw new TrayError(
      'BAD_REQUEST',
      'cookies set: --same-site None needs --secure (browsers refuse it otherwise)',
    );
  }
  const cookie: CookieParam = {
    name: params.name,
    value: params.value,
    path: params.path,
    secure: params.secure,
    httpOnly: params.http_only,
    ...(params.same_site ? { sameSite: params.same_site } : {}),
    ...(params.expires !== undefined ? { expires: params.expires } : {}),
  };
  if (params.domain) return { ...cookie, domain: params.domain };

  if (!/^https?:/.test(page.url)) {
    throw new TrayError(
      'BAD_REQUEST',
      `cookies set: give --domain, or open a web page first (the current page is ${page.url})`,
    );
  }
  return { ...cookie, url: page.url };
}

function count(cookies: number): string {
  return `${cookies} cookie${cookies === 1 ? '' : 's'}`;
}

function formatCookies(cookies: CookieRecord[]): string {
  if (cookies.length === 0) return 'No cookies';
  return cookies
    .map((cookie) => {
      const flags = [
        `domain=${cookie.domain}`,
        `path=${cookie.path}`,
        ...(cookie.secure ? ['secure'] : []),
        ...(cookie.httpOnly ? ['httpOnly'] : []),
        ...(cookie.sameSite ? [`sameSite=${cookie.sameSite}`] : []),
        cookie.expires === undefined
          ? 'session'
          : `expires=${new Date(cookie.expires * 1000).toISOString()}`,
      ];
      return `${cookie.name}=${cookie.value}  ${flags.join(' ')}`;
    })
    .join('\n');
}
