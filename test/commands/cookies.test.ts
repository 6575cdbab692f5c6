import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CookieRecord } from '../../electron/commands/cookie-file';
import { registerBrowserSuite } from '../helpers/browser-suite';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('jar');
const home = suite.home;

const send = (params: Record<string, unknown>) => request(home, 'jar', 'cookies', params);
const cookies = (params: Record<string, unknown>) =>
  requestData<Record<string, unknown>>(home, 'jar', 'cookies', params);
const list = async (url?: string) =>
  (await cookies({ cookies_command: 'get', ...(url ? { url } : {}) })).cookies as CookieRecord[];
const names = async (url?: string) => (await list(url)).map((cookie) => cookie.name).sort();
const file = (name: string) => join(home, name);

beforeEach(async () => {
  await cookies({ cookies_command: 'clear' });
  await requestData(home, 'jar', 'open', { url: suite.fixtures.url('done.html') });
});

describe('cookies get and set', () => {
  it('set without --domain makes a cookie for the current page, which the page sees', async () => {
    const set = await cookies({ cookies_command: 'set', name: 'flavour', value: 'oat' });
    expect(set._raw_text).toBe('Set cookie flavour');
    expect(await list()).toEqual([
      {
        name: 'flavour',
        value: 'oat',
        domain: '127.0.0.1',
        path: '/',
        httpOnly: false,
        secure: false,
      },
    ]);
    const seen = await requestData<{ result: string }>(home, 'jar', 'eval', {
      js: 'document.cookie',
    });
    expect(seen.result).toBe('flavour=oat');
  });

  it('set with every option stores each of them', async () => {
    await cookies({
      cookies_command: 'set',
      name: 'sid',
      value: 'x1',
      domain: 'example.com',
      path: '/app',
      secure: true,
      http_only: true,
      same_site: 'Strict',
      expires: Math.round(Date.now() / 1000) + 3600,
    });
    const [cookie] = await list();
    expect(cookie).toMatchObject({
      name: 'sid',
      value: 'x1',
      domain: 'example.com',
      path: '/app',
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000);
    const text = (await cookies({ cookies_command: 'get' }))._raw_text as string;
    expect(text).toMatch(
      /^sid=x1 {2}domain=example.com path=\/app secure httpOnly sameSite=Strict expires=20/,
    );
  });

  it('get --url lists only the cookies a request there would send', async () => {
    await cookies({ cookies_command: 'set', name: 'here', value: '1' });
    await cookies({ cookies_command: 'set', name: 'there', value: '2', domain: 'example.com' });
    expect(await names()).toEqual(['here', 'there']);
    expect(await names(suite.fixtures.url('done.html'))).toEqual(['here']);
    expect(await names('https://example.com/')).toEqual(['there']);
  });

  it('refuses SameSite=None without secure, and a hostless page without --domain', async () => {
    const none = await send({ cookies_command: 'set', name: 'a', value: '1', same_site: 'None' });
    expect(none).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(none.success ? '' : none.error).toContain('--same-site None needs --secure');

    await requestData(home, 'jar', 'open', { url: 'about:blank' });
    const blank = await send({ cookies_command: 'set', name: 'a', value: '1' });
    expect(blank).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(blank.success ? '' : blank.error).toContain('give --domain');
    expect(await list()).toEqual([]);
  });

  it('refuses a missing name and an unknown subcommand, naming the field', async () => {
    const nameless = await send({ cookies_command: 'set', value: '1' });
    expect(nameless.success ? '' : nameless.error).toMatch(/^cookies: name: /);
    const unknown = await send({ cookies_command: 'eat' });
    expect(unknown.success ? '' : unknown.error).toMatch(/^cookies: cookies_command: /);
  });
});

describe('cookies clear', () => {
  it('clears everything, or only what a URL would be sent', async () => {
    await cookies({ cookies_command: 'set', name: 'here', value: '1' });
    await cookies({ cookies_command: 'set', name: 'there', value: '2', domain: 'example.com' });

    const some = await cookies({ cookies_command: 'clear', url: suite.fixtures.url('') });
    expect(some).toMatchObject({ cleared: 1 });
    expect(await names()).toEqual(['there']);

    const all = await cookies({ cookies_command: 'clear' });
    expect(all).toMatchObject({ cleared: 1, _raw_text: 'Cleared 1 cookie' });
    expect(await list()).toEqual([]);
  });
});

describe('cookies export and import', () => {
  it('an exported file imports back to the same cookies, and is private to its owner', async () => {
    const soon = Math.round(Date.now() / 1000) + 86_400;
    await cookies({ cookies_command: 'set', name: 'session', value: 'abc' });
    await cookies({
      cookies_command: 'set',
      name: 'remember',
      value: 'yes please',
      domain: '.example.org',
      secure: true,
      http_only: true,
      same_site: 'None',
      expires: soon,
    });
    const before = await list();

    const exported = await cookies({ cookies_command: 'export', file: file('jar.json') });
    expect(exported).toMatchObject({ exported: 2, file: file('jar.json') });
    expect(statSync(file('jar.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file('jar.json'), 'utf8'))).toEqual(before);

    await cookies({ cookies_command: 'clear' });
    const imported = await cookies({ cookies_command: 'import', file: file('jar.json') });
    expect(imported).toMatchObject({ imported: 2 });
    const sort = (records: CookieRecord[]) =>
      [...records].sort((a, b) => a.name.localeCompare(b.name));
    expect(sort(await list())).toEqual(sort(before));
  });

  it('export --url writes only the matching cookies', async () => {
    await cookies({ cookies_command: 'set', name: 'here', value: '1' });
    await cookies({ cookies_command: 'set', name: 'there', value: '2', domain: 'example.com' });
    await cookies({
      cookies_command: 'export',
      file: file('some.json'),
      url: 'https://example.com',
    });
    const written = JSON.parse(readFileSync(file('some.json'), 'utf8')) as CookieRecord[];
    expect(written.map((cookie) => cookie.name)).toEqual(['there']);
  });

  it('a missing, malformed or invalid file gets a clear error and changes nothing', async () => {
    await cookies({ cookies_command: 'set', name: 'keep', value: 'me' });

    const missing = await send({ cookies_command: 'import', file: file('nothing.json') });
    expect(missing).toMatchObject({ success: false, code: 'FILE_ERROR' });
    expect(missing.success ? '' : missing.error).toBe(
      `cookies import: there is no file ${file('nothing.json')}`,
    );

    const folder = await send({ cookies_command: 'import', file: home });
    expect(folder).toMatchObject({ success: false, code: 'FILE_ERROR' });
    expect(folder.success ? '' : folder.error).toContain('is a directory');

    writeFileSync(file('broken.json'), '[{"name": "a",');
    const broken = await send({ cookies_command: 'import', file: file('broken.json') });
    expect(broken).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(broken.success ? '' : broken.error).toMatch(/is not JSON .*nothing was imported$/);

    // The first cookie is fine, the third is not: none may be set.
    writeFileSync(
      file('invalid.json'),
      JSON.stringify([
        { name: 'one', value: '1', domain: '127.0.0.1' },
        { name: 'two', value: '2', domain: '127.0.0.1' },
        { name: 'three', value: 3, domain: '127.0.0.1' },
      ]),
    );
    const invalid = await send({ cookies_command: 'import', file: file('invalid.json') });
    expect(invalid).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(invalid.success ? '' : invalid.error).toMatch(
      /invalid\.json: cookie 2 value: .*; nothing was imported$/,
    );

    writeFileSync(file('object.json'), JSON.stringify({ hello: 'world' }));
    const object = await send({ cookies_command: 'import', file: file('object.json') });
    expect(object.success ? '' : object.error).toContain('expected an array of cookies');

    expect(await names()).toEqual(['keep']);
  });

  it('accepts the { "cookies": [...] } shape that `cookies get --json` prints', async () => {
    writeFileSync(
      file('wrapped.json'),
      JSON.stringify({ cookies: [{ name: 'w', value: '1', domain: '127.0.0.1' }] }),
    );
    await cookies({ cookies_command: 'import', file: file('wrapped.json') });
    expect(await names()).toEqual(['w']);
  });

  it('refuses relative paths: the CLI resolves them, the daemon works elsewhere', async () => {
    const response = await send({ cookies_command: 'export', file: 'jar.json' });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(response.success ? '' : response.error).toContain('file: must be an absolute path');
  });
});
