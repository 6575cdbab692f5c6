import { describe, expect, it } from 'vitest';
import type { Response } from '../../shared/protocol';
import { registerBrowserSuite } from '../helpers/browser-suite';
import { startInProcessDaemon } from '../helpers/in-process-daemon';
import { request, requestData } from '../helpers/session-client';

const suite = registerBrowserSuite('waits');
const home = suite.home;

const wait = (params: Record<string, unknown>) => request(home, 'waits', 'wait', params);
const open = (page: string) =>
  requestData(home, 'waits', 'open', { url: suite.fixtures.url(page) });

/** Runs `work` and returns its result with the milliseconds it took. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

describe('wait selector', () => {
  it('returns once the element becomes visible, not before', async () => {
    await open('later.html?after=60000');
    await requestData(home, 'waits', 'eval', {
      js: 'setTimeout(() => { document.getElementById("banner").style.display = "block" }, 1000); 1',
    });
    const { value, ms } = await timed(() =>
      wait({ wait_command: 'selector', selector: '#banner' }),
    );
    expect(value).toMatchObject({ success: true, data: { found: true, state: 'visible' } });
    // The page shows it 1 s after the eval; the wait started a little after that eval.
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(3000);
    const data = value.success ? (value.data as { _raw_text: string }) : undefined;
    expect(data?._raw_text).toMatch(/^Found "#banner" visible after \d+ ms$/);
  });

  it('waits for an element to be detached, hidden, or merely attached', async () => {
    await open('later.html?after=300');
    expect(
      await wait({ wait_command: 'selector', selector: '#spinner', state: 'detached' }),
    ).toMatchObject({ success: true });

    await open('later.html?after=60000');
    expect(
      await wait({ wait_command: 'selector', selector: '#banner', state: 'hidden', timeout: 500 }),
    ).toMatchObject({ success: true });
    expect(
      await wait({
        wait_command: 'selector',
        selector: '#banner',
        state: 'attached',
        timeout: 500,
      }),
    ).toMatchObject({ success: true });
  });

  it('not found when the time is up is a TIMEOUT error, answered on time', async () => {
    await open('later.html?after=60000');
    const { value, ms } = await timed(() =>
      wait({ wait_command: 'selector', selector: '#banner', timeout: 600 }),
    );
    expect(value).toMatchObject({ success: false, code: 'TIMEOUT' });
    expect(value.success ? '' : value.error).toBe(
      'wait: "#banner" visible not found within 600 ms',
    );
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2000);
  });

  it('an invalid selector is refused at once', async () => {
    const response = await wait({ wait_command: 'selector', selector: 'div[' });
    expect(response).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(response.success ? '' : response.error).toBe('wait: "div[" is not a valid CSS selector');
  });

  it('refuses an unknown state, naming the field', async () => {
    const response = await wait({ wait_command: 'selector', selector: 'p', state: 'shiny' });
    expect(response.success ? '' : response.error).toMatch(/^wait: state: /);
  });
});

describe('wait text', () => {
  it('returns once the text is shown', async () => {
    await open('later.html?after=300');
    const response = await wait({ wait_command: 'text', text: 'All done now', timeout: 5000 });
    expect(response).toMatchObject({ success: true, data: { found: true, text: 'All done now' } });
  });

  it('keeps waiting across a navigation and finds the text on the next page', async () => {
    await open('form.html');
    await requestData(home, 'waits', 'eval', {
      js: 'setTimeout(() => { location.href = "done.html" }, 300); true',
    });
    const response = await wait({ wait_command: 'text', text: 'Thanks', timeout: 10_000 });
    expect(response).toMatchObject({ success: true });
  });

  it('hidden text does not count', async () => {
    await open('later.html?after=60000');
    const response = await wait({ wait_command: 'text', text: 'Shown later', timeout: 400 });
    expect(response).toMatchObject({ success: false, code: 'TIMEOUT' });
  });
});

describe('a long wait and the rest of the session', () => {
  it('ping and status answer at once during a 5 s wait; browser commands queue', async () => {
    await open('later.html?after=60000');
    const waiting = timed(() =>
      wait({ wait_command: 'selector', selector: '#banner', timeout: 5000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ping = await timed(() => request(home, 'waits', 'ping'));
    const status = await timed(() => request(home, 'waits', 'status'));
    expect(ping.value).toMatchObject({ success: true });
    expect(status.value).toMatchObject({ success: true, data: { phase: 'running' } });
    expect(ping.ms).toBeLessThan(1000);
    expect(status.ms).toBeLessThan(1000);

    const queued = await timed(() => request(home, 'waits', 'eval', { js: '1' }));
    const waited = await waiting;
    expect(waited.value).toMatchObject({ success: false, code: 'TIMEOUT' });
    expect(queued.value).toMatchObject({ success: true });
    // The eval ran only after the wait gave up.
    expect(queued.ms).toBeGreaterThan(3500);
  });

  it('shutdown during a wait stops the session promptly, and the wait fails cleanly', async () => {
    const other = await startInProcessDaemon(home, 'closing');
    await requestData(home, 'closing', 'open', {
      url: suite.fixtures.url('later.html?after=60000'),
    });

    const waiting: Promise<Response> = request(home, 'closing', 'wait', {
      wait_command: 'selector',
      selector: '#banner',
      timeout: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const { value: answer, ms } = await timed(async () => {
      const response = await request(home, 'closing', 'shutdown');
      await other.stopped;
      return response;
    });
    expect(answer).toMatchObject({ success: true });
    expect(ms).toBeLessThan(3000);
    expect(other.phase).toBe('stopped');

    const waited = await waiting;
    expect(waited).toMatchObject({ success: false, code: 'BROWSER_GONE' });
    expect(waited.success ? '' : waited.error).toContain('while waiting for "#banner" visible');
  });
});
