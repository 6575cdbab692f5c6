import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import { defineCommand } from './command';

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

/**
 * A bare host gets https:// (http:// for this machine, where TLS is rare). What still
 * does not parse as a URL is refused here, naming it, rather than sent to Chromium.
 */
export function normalizeUrl(raw: string): string {
  const url = raw.trim();
  if (url.length === 0) throw new TrayError('BAD_REQUEST', 'open: url is empty');
  // An absolute path from a client that did not make it a URL: it means the file.
  if (url.startsWith('/')) return pathToFileURL(url).href;

  // `host:8080/path` looks like a scheme to the pattern, but is a bare host with a port.
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[^/]+:\d+(\/|$)/.test(url);
  if (!hasScheme && url.includes('://')) {
    throw new TrayError('BAD_REQUEST', `open: ${url} is not a URL: its scheme is not valid`);
  }

  const full = hasScheme ? url : `${LOCAL_HOST.test(url) ? 'http' : 'https'}://${url}`;
  if (!URL.canParse(full)) throw new TrayError('BAD_REQUEST', `open: ${url} is not a valid URL`);
  return full;
}

export const openCommand = defineCommand({
  action: 'open',
  params: z.object({ url: z.string() }),
  async run({ browser, navigationTimeoutMs }, { url }) {
    const page = browser.page;
    const result = await page.navigate(normalizeUrl(url), navigationTimeoutMs);
    const title = await page.evaluate<string>('document.title');
    const note = result.loaded ? '' : ` (still loading after ${navigationTimeoutMs} ms)`;
    return {
      url: result.url,
      title,
      loaded: result.loaded,
      _raw_text: `Opened ${result.url}${note}`,
    };
  },
});

export const backCommand = defineCommand({
  action: 'back',
  params: z.object({}),
  async run({ browser, navigationTimeoutMs }) {
    const result = await browser.page.back(navigationTimeoutMs);
    return { url: result.url, loaded: result.loaded, _raw_text: `Back to ${result.url}` };
  },
});
