import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESSENTIAL_CHROMIUM_FLAGS } from '../../electron/browser/chrome-launcher';
import { readStateFile, writeStateFile } from '../../electron/daemon/state-file';
import { type RunningDashboard, runDashboard } from '../../electron/host/dashboard-entry';
import { spawnHeadlessDaemon } from '../../electron/host/spawn-headless-daemon';
import { startFixtureServer } from '../helpers/fixture-server';
import { waitForExit } from '../helpers/processes';
import { requestData } from '../helpers/session-client';
import { sampleStateFile } from '../helpers/state-file-fixture';
import { FakeSession } from '../host/fake-session';

const STATIC_DIR = resolve('dist/renderer');
const DAEMON = resolve('dist/daemon.cjs');

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(STATIC_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` (npm test does it first).');
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...ESSENTIAL_CHROMIUM_FLAGS,
      // A name that resolves to 127.0.0.1, as a DNS-rebinding attacker's would.
      '--host-resolver-rules=MAP rebind.test 127.0.0.1',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

function makeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'btray-e2e-'));
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

/** The card of one session, found the way a screen reader user would: by its name. */
function card(page: Page, name: string): Locator {
  return page.getByRole('listitem', { name, exact: true });
}

/** `4:07` → 247 */
async function clockSeconds(clock: Locator): Promise<number> {
  const text = (await clock.textContent()) ?? '';
  return text
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);
}

/** Opens the dashboard as a person would, and records any CSP violation on the page. */
async function openDashboard(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  return page;
}

function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

describe('dashboard in a real browser, with stand-in sessions', () => {
  let home: string;
  let dashboard: RunningDashboard;
  let context: BrowserContext;
  let page: Page;
  const fakes = new Map<string, FakeSession>();

  const startFake = async (name: string, options: Parameters<typeof FakeSession.start>[2]) => {
    const fake = await FakeSession.start(home, name, options);
    fakes.set(name, fake);
    return fake;
  };

  beforeAll(async () => {
    home = makeHome();
    await startFake('alpha', {
      title: 'Alpha page',
      url: 'https://alpha.example/',
      idleTimeoutS: 600,
    });
    await startFake('slowstop', { title: 'Slow', shutdownDelayMs: 1500 });
    dashboard = await runDashboard({
      home,
      staticDir: STATIC_DIR,
      print: () => undefined,
      newSession: async (name) => {
        await startFake(name, { title: `${name} page` });
      },
    });
    context = await browser.newContext();
    page = await openDashboard(context, dashboard.url);
  });

  afterAll(async () => {
    await context?.close();
    await dashboard?.close();
    for (const fake of fakes.values()) fake.crash();
    rmSync(home, { recursive: true, force: true });
  });

  it('drops the secret from the address bar once the page is open', async () => {
    await expect.poll(() => page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect.poll(() => page.title()).toBe('Browser Tray');
  });

  it('opens with the new-session form on #new-session (the tray’s New session…)', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${new URL(page.url()).origin}/#new-session`);
      const field = other.getByLabel('Session name');
      await field.waitFor();
      await expect
        .poll(() => field.evaluate((input) => input === document.activeElement))
        .toBe(true);
      expect(new URL(other.url()).hash).toBe('');

      await other.reload();
      await other.getByRole('button', { name: 'New session' }).waitFor();
      expect(await other.getByLabel('Session name').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('shows each session with its phase badge, title and url', async () => {
    const alpha = card(page, 'alpha');
    await alpha.getByText('running').waitFor();

    expect(await alpha.getByText('Alpha page').isVisible()).toBe(true);
    expect(await alpha.getByText('alpha.example').isVisible()).toBe(true);
  });

  it('counts the idle time down', async () => {
    const clock = card(page, 'alpha').locator('.stat-idle .clock');
    await clock.waitFor();
    const startedAt = Date.now();
    const first = await clockSeconds(clock);

    await page.waitForTimeout(2200);

    const later = await clockSeconds(clock);
    // The bound is the wall time the two readings really spanned (a loaded CI machine
    // stretches them), plus one second for each reading's rounding: the clock must
    // tick with time, never jump ahead of it.
    const spanned = (Date.now() - startedAt) / 1000;
    expect(first).toBeLessThanOrEqual(600);
    expect(later).toBeLessThan(first);
    expect(first - later).toBeLessThanOrEqual(Math.ceil(spanned) + 2);
  });

  it('starts a recording that shows its file and a growing elapsed time', async () => {
    const alpha = card(page, 'alpha');
    await alpha.getByRole('button', { name: 'Record alpha' }).click();

    const clock = alpha.locator('.stat-recording .clock');
    await clock.waitFor();
    expect(await alpha.locator('.rec-file').textContent()).toMatch(/^alpha-[\d-_]+\.mp4$/);
    const first = await clockSeconds(clock);
    await page.waitForTimeout(2200);
    expect(await clockSeconds(clock)).toBeGreaterThanOrEqual(first + 1);

    const start = fakes.get('alpha')?.requests.find((request) => request.action === 'record');
    expect(start?.params.record_command).toBe('start');
    expect(String(start?.params.path)).toMatch(new RegExp(`^${home}/recordings/alpha-.*\\.mp4$`));

    await alpha.getByRole('button', { name: 'Stop recording alpha' }).click();
    await alpha.locator('.stat-recording').waitFor({ state: 'detached' });
  });

  it('pauses the countdown with Keep open, and resumes it', async () => {
    const alpha = card(page, 'alpha');
    const toggle = alpha.getByRole('switch', { name: 'Keep open alpha' });

    await toggle.click();
    await alpha.getByText('Kept open').waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(await alpha.locator('.stat-idle').count()).toBe(0);

    await toggle.click();
    await alpha.locator('.stat-idle .clock').waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    const keepOpen = fakes.get('alpha')?.requests.filter((r) => r.action === 'keep_open');
    expect(keepOpen?.map((request) => request.params.on)).toEqual([true, false]);
  });

  it('refuses a bad session name under the field, then starts a new session', async () => {
    await page.getByRole('button', { name: 'New session' }).click();
    const field = page.getByLabel('Session name');
    await field.fill('no spaces');
    await page
      .getByRole('alert')
      .getByText("may only contain letters, digits, '-' and '_'")
      .waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    await field.fill('beta');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    await card(page, 'beta').getByText('running').waitFor();
    expect(await page.getByLabel('Session name').count()).toBe(0);
  });

  it('disables Stop with a spinner while stopping, then shows the session stopped', async () => {
    const slow = card(page, 'slowstop');
    await slow.getByRole('button', { name: 'Stop session slowstop' }).click();

    const stopping = slow.getByRole('button', { name: 'Stopping… session slowstop' });
    await stopping.waitFor();
    expect(await stopping.isDisabled()).toBe(true);
    expect(await stopping.getAttribute('aria-busy')).toBe('true');

    expect(await slow.getByRole('switch').isDisabled()).toBe(true);
    await slow.getByText('stopped').waitFor({ timeout: 5000 });
    expect(await slow.getByRole('button').count()).toBe(0);
    expect(fakes.get('slowstop')?.actions()).toContain('shutdown');
  });

  it('shows a session that stopped answering, and the error of acting on it', async () => {
    const ghost = await startFake('ghost', { title: 'Ghost' });
    const ghostCard = card(page, 'ghost');
    await ghostCard.getByText('running').waitFor();
    ghost.crash();

    await ghostCard.getByText('not responding').waitFor();
    expect(await ghostCard.getByText(/no answer on the session socket/).isVisible()).toBe(true);

    await ghostCard.getByRole('button', { name: 'Stop session ghost' }).click();
    const alert = ghostCard.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/ENOENT|ECONNREFUSED/);

    await ghostCard.getByRole('button', { name: 'Dismiss the error of ghost' }).click();
    await alert.waitFor({ state: 'detached' });
  });

  it('says why a session ended by itself, and nothing for one someone stopped', async () => {
    const ended = (name: string, byItself: boolean) =>
      writeStateFile(
        join(home, `${name}.state.json`),
        sampleStateFile(name, {
          phase: 'stopped',
          pid: 999_999,
          stop_reason: byItself ? 'idle for 1800 s' : 'a client asked for shutdown',
          stopped_by_itself: byItself,
        }),
      );
    ended('expired', true);
    ended('closed', false);

    const expired = card(page, 'expired');
    await expired.getByText('Ended by itself: idle for 1800 s').waitFor();
    await card(page, 'closed').getByText('stopped').waitFor();
    expect(
      await card(page, 'closed')
        .getByText(/Ended|client/)
        .count(),
    ).toBe(0);
  });

  it('announces changes to screen readers', async () => {
    const status = page.getByRole('status');
    await startFake('gamma', {});
    await expect.poll(() => status.textContent()).toContain('Session gamma appeared, running.');
  });

  it('ran under its content security policy without a single violation', async () => {
    expect(await cspViolations(page)).toEqual([]);
  });

  it('refuses a browser that comes without the secret', async () => {
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      const origin = new URL(dashboard.url).origin;
      const response = await other.goto(`${origin}/`);
      expect(response?.status()).toBe(401);
      expect(await other.textContent('body')).toContain('no secret');
    } finally {
      await stranger.close();
    }
  });

  it('refuses a rebound host name even with the secret', async () => {
    const url = new URL(dashboard.url);
    url.hostname = 'rebind.test';

    const response = await page.goto(url.href);

    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('foreign Host header');
    await page.goto(new URL(dashboard.url).origin);
  });

  it('refuses requests from a page of another origin, which can neither act nor read', async () => {
    const evil = await startEvilServer();
    try {
      const target = new URL(dashboard.url).origin;
      const attacker = await context.newPage();
      await attacker.goto(evil.url);

      const outcome = await attacker.evaluate(async (dashboardOrigin) => {
        const attempts: string[] = [];
        const stop = `${dashboardOrigin}/api/sessions/alpha/stop`;
        const tryFetch = async (label: string, init: RequestInit) => {
          try {
            const response = await fetch(
              init.method === 'GET' ? `${dashboardOrigin}/api/snapshot` : stop,
              init,
            );
            attempts.push(`${label}: ${response.type} ${response.status}`);
          } catch (error) {
            attempts.push(`${label}: ${(error as Error).name}`);
          }
        };
        await tryFetch('json', {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        await tryFetch('simple', {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          body: '{}',
        });
        await tryFetch('read', { method: 'GET', credentials: 'include' });
        return attempts;
      }, target);

      // json: the preflight gets no CORS answer. simple: sent, refused by the server, and
      // its answer withheld by Cross-Origin-Resource-Policy. read: no CORS header.
      expect(outcome).toEqual(['json: TypeError', 'simple: TypeError', 'read: TypeError']);
      expect(fakes.get('alpha')?.actions()).not.toContain('shutdown');
      await attacker.close();
    } finally {
      await evil.close();
    }
  });
});

describe('dashboard in a real browser, with real headless daemons', () => {
  let home: string;
  let dashboard: RunningDashboard;
  let context: BrowserContext;
  let page: Page;
  const daemons: number[] = [];
  let first: ChildProcess;

  const newSession = async (name: string) => {
    const pid = await spawnHeadlessDaemon({
      home,
      name,
      daemonScript: DAEMON,
      env: process.env,
      args: ['--idle-timeout', '90'],
    });
    daemons.push(pid);
  };

  beforeAll(async () => {
    home = makeHome();
    // One daemon started the way the CLI starts it, before the dashboard exists.
    first = spawn(process.execPath, [DAEMON, '--session', 'first'], {
      env: { ...process.env, BROWSER_TRAY_HOME: home },
      stdio: 'ignore',
    });
    dashboard = await runDashboard({
      home,
      staticDir: STATIC_DIR,
      print: () => undefined,
      newSession,
    });
    context = await browser.newContext();
    page = await openDashboard(context, dashboard.url);
  });

  afterAll(async () => {
    await context?.close();
    await dashboard?.close();
    for (const pid of [first?.pid, ...daemons]) {
      if (pid === undefined) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone: the test stopped it.
      }
    }
    await waitForGone([first?.pid, ...daemons]);
    rmSync(home, { recursive: true, force: true });
  });

  it('shows a daemon started before the dashboard', async () => {
    await card(page, 'first').getByText('ready').waitFor({ timeout: 15_000 });
  });

  it('starts a real session from New session, and counts its idle time down', async () => {
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Session name').fill('second');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const second = card(page, 'second');
    await second.getByText('ready').waitFor({ timeout: 15_000 });
    const clock = second.locator('.stat-idle .clock');
    const start = await clockSeconds(clock);
    await page.waitForTimeout(2200);
    expect(start).toBeLessThanOrEqual(90);
    expect(await clockSeconds(clock)).toBeLessThan(start);
  });

  it('shows the real page’s url, and records it: elapsed time grows, the MP4 is written', async () => {
    const fixtures = await startFixtureServer();
    try {
      await requestData(home, 'first', 'open', { url: fixtures.url('recording-animated.html') });
      const first = card(page, 'first');
      await first.getByText('running').waitFor({ timeout: 15_000 });
      const url = fixtures.url('recording-animated.html');
      await first.locator(`.page-url[title="${url}"]`).waitFor();

      await first.getByRole('button', { name: 'Record first' }).click();
      const clock = first.locator('.stat-recording .clock');
      await clock.waitFor({ timeout: 15_000 });
      const started = await clockSeconds(clock);
      await page.waitForTimeout(2200);
      expect(await clockSeconds(clock)).toBeGreaterThanOrEqual(started + 1);

      await first.getByRole('button', { name: 'Stop recording first' }).click();
      await first.locator('.stat-recording').waitFor({ state: 'detached', timeout: 15_000 });
      const videos = readdirSync(join(home, 'recordings'));
      expect(videos).toEqual([expect.stringMatching(/^first-[\d-_]+\.mp4$/)]);
      expect(statSync(join(home, 'recordings', videos[0] ?? '')).size).toBeGreaterThan(1000);
    } finally {
      await fixtures.close();
    }
  });

  it('stops the real session on Stop: state file stopped, socket gone, process ended', async () => {
    const second = card(page, 'second');
    await second.getByRole('button', { name: 'Stop session second' }).click();

    await second.getByText('stopped').waitFor({ timeout: 15_000 });
    const state = readStateFile(join(home, 'second.state.json'));
    expect(state.ok && state.state.phase).toBe('stopped');
    expect(existsSync(join(home, 'second.sock'))).toBe(false);
    expect(await waitForGone(daemons)).toBe(true);
    expect(await card(page, 'first').getByText('running').isVisible()).toBe(true);
  });
});

/** A page on another port of 127.0.0.1: the same site to the browser, another origin. */
async function startEvilServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

async function waitForGone(pids: (number | undefined)[]): Promise<boolean> {
  const exits = pids.filter((pid) => pid !== undefined).map((pid) => waitForExit(pid));
  return (await Promise.all(exits)).every(Boolean);
}
