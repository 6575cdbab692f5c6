import { describe, expect, it, vi } from 'vitest';
import { registerBrowserSuite } from '../helpers/browser-suite';
import { request, requestData } from '../helpers/session-client';

// A short deadline, so that a test can wait it out.
const suite = registerBrowserSuite('deadline', { commandTimeoutMs: 1500 });

const getTitle = () => request(suite.home, 'deadline', 'get', { get_command: 'title' });

describe('the command deadline', () => {
  it('answers TIMEOUT when the page’s own script never yields, stops it, and serves the next', async () => {
    await requestData(suite.home, 'deadline', 'open', { url: suite.fixtures.url('form.html') });
    // The page itself goes into a loop a moment after this eval has answered: first a
    // synchronous request the server holds back, then the loop. Once the server has the
    // request, the page's main thread is busy for good.
    const mark = `/form.html?delay=300&busy=${Date.now()}`;
    await requestData(suite.home, 'deadline', 'eval', {
      js: `setTimeout(() => {
        const request = new XMLHttpRequest();
        request.open('GET', '${mark}', false);
        request.send();
        while (true) {}
      }, 100); 1`,
    });
    await vi.waitFor(() => expect(suite.fixtures.requests).toContain(mark), { timeout: 10_000 });

    const started = Date.now();
    const stuck = await getTitle();
    expect(stuck).toMatchObject({ success: false, code: 'TIMEOUT' });
    expect(stuck.success ? '' : stuck.error).toContain(
      'get: no answer from the browser within 1.5 s (a script of the page kept the tab busy',
    );
    expect(Date.now() - started).toBeLessThan(10_000);

    expect(await getTitle()).toMatchObject({ success: true, data: { title: 'Sign-up form' } });
  });
});
