import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage, TrayError } from '../../shared/errors';
import type { Cookie, CookieParam } from '../browser/cookie-jar';

/** One cookie as `cookies export` writes it and `cookies import` reads it. */
export interface CookieRecord {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Seconds since the epoch; absent for a session cookie. */
  expires?: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

const cookieRecord = z
  .object({
    name: z.string().min(1, 'name is empty'),
    value: z.string(),
    domain: z.string().min(1, 'domain is empty'),
    path: z.string().startsWith('/', 'path must start with /').default('/'),
    // Chromium exports session cookies with expires -1.
    expires: z.number().optional(),
    httpOnly: z.boolean().default(false),
    secure: z.boolean().default(false),
    sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
  })
  .refine((cookie) => cookie.sameSite !== 'None' || cookie.secure, {
    message: 'sameSite None needs secure: true (browsers refuse it otherwise)',
    path: ['sameSite'],
  });

const cookieList = z.array(cookieRecord);

export function toRecord(cookie: Cookie): CookieRecord {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    ...(cookie.session || cookie.expires < 0 ? {} : { expires: cookie.expires }),
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    ...(cookie.sameSite ? { sameSite: cookie.sameSite } : {}),
  };
}

export function toParam(record: CookieRecord): CookieParam {
  const { expires, ...rest } = record;
  return expires !== undefined && expires >= 0 ? { ...rest, expires } : rest;
}

/** Writes cookies owner-only: they are credentials. */
export async function writeCookieFile(path: string, records: CookieRecord[]): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new TrayError(
      'FILE_ERROR',
      `cookies export: cannot write ${path}: ${errorMessage(error)}`,
    );
  }
}

/**
 * Reads and checks a whole cookie file before anything is set, so a bad file changes
 * nothing; errors name the cookie (from 0) and the field.
 */
export async function readCookieFile(path: string): Promise<CookieRecord[]> {
  let text: string;
  try {
    if ((await stat(path)).isDirectory())
      throw new TrayError('FILE_ERROR', `cookies import: ${path} is a directory, not a file`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof TrayError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TrayError(
      'FILE_ERROR',
      missing
        ? `cookies import: there is no file ${path}`
        : `cookies import: cannot read ${path}: ${errorMessage(error)}`,
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TrayError(
      'BAD_REQUEST',
      `cookies import: ${path} is not JSON (${errorMessage(error)}); nothing was imported`,
    );
  }

  // An array of cookies, or `{ "cookies": [...] }` as `btray --json cookies get` prints it.
  const list =
    typeof json === 'object' && json !== null && !Array.isArray(json) && 'cookies' in json
      ? json.cookies
      : json;
  const parsed = cookieList.safeParse(list);
  if (!parsed.success) {
    throw new TrayError(
      'BAD_REQUEST',
      `cookies import: ${path}: ${describeIssue(parsed.error)}; nothing was imported`,
    );
  }
  return parsed.data;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not a cookie file';
  const [index, ...field] = issue.path;
  if (typeof index !== 'number') return 'expected an array of cookies';
  return `cookie ${index}${field.length ? ` ${field.join('.')}` : ''}: ${issue.message}`;
}
