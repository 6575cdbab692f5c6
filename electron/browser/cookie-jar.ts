import type Protocol from 'devtools-protocol';
import type { BrowserSession } from './browser-session';

export type Cookie = Protocol.Network.Cookie;
export type CookieParam = Protocol.Network.CookieParam;

/**
 * The browser's cookie store. Without a URL it covers every cookie of the default
 * browser context (`Storage.*` on the browser target); with one, exactly the cookies a
 * request to that URL would send (`Network.getCookies` on the current tab), so domain,
 * path and `secure` are matched the way the browser matches them.
 */
export class CookieJar {
  constructor(private readonly browser: BrowserSession) {}

  async list(url?: string): Promise<Cookie[]> {
    if (url) {
      const { cookies } = await this.browser.page.send('Network.getCookies', { urls: [url] });
      return cookies;
    }
    const { cookies } = await this.browser.connection.send('Storage.getCookies', {});
    return cookies;
  }

  /** Sets the cookies in one call: Chromium checks each and refuses the call on a bad one. */
  async set(cookies: CookieParam[]): Promise<void> {
    if (cookies.length === 0) return;
    await this.browser.connection.send('Storage.setCookies', { cookies });
  }

  /** Removes every cookie, or those a request to `url` would send; returns how many. */
  async clear(url?: string): Promise<number> {
    if (!url) {
      const count = (await this.list()).length;
      await this.browser.connection.send('Storage.clearCookies', {});
      return count;
    }

    const cookies = await this.list(url);
    for (const cookie of cookies) {
      await this.browser.page.send('Network.deleteCookies', {
        name: cookie.name,
        domain: cookie.domain,
        path: cookie.path,
      });
    }
    return cookies.length;
  }
}
