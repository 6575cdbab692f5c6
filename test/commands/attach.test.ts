import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionPaths } from '../../electron/daemon/paths';
import { processAlive } from '../../electron/daemon/process-alive';
import { readStateFile } from '../../electron/daemon/state-file';
import type { StatusData } from '../../shared/protocol';
import { btray, closeAll } from '../helpers/cli';
import { type DebuggableChromium, startDebuggableChromium } from '../helpers/debuggable-chromium';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { waitUntil } from '../helpers/processes';
import { requestData } from '../helpers/session-client';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
const home = temp.home;
let fixtures: FixtureServer;
const browsers: DebuggableChromium[] = [];

async function browser(): Promise<DebuggableChromium> {
  const started = await startDebuggableChromium();
  browsers.push(started);
  return started;
}

/** True while the browser process lives and its DevTools HTTP endpoint answers. */
async function answers(chromium: DebuggableChromium): Promise<boolean> {
  if (!processAlive(chromium.pid)) return false;
  const response = await fetch(`http://127.0.0.1:${chromium.port}/json/version`);
  return response.ok;
}

async function pageUrls(chromium: DebuggableChromium): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${chromium.port}/json/list`);
  const targets = (await response.json()) as Array<{ type: string; url: string }>;
  return targets.filter((target) => target.type === 'page').map((target) => target.url);
}

function phaseOf(session: string): string | undefined {
  const read = readStateFile(sessionPaths(home, session).state);
  return read.ok ? read.state.phase : undefined;
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
});

afterEach(async () => {
  closeAll(home);
  for (const chromium of browsers.splice(0)) await chromium.kill();
});

afterAll(async () => {
  await fixtures?.close();
  temp.remove();
});

describe('--cdp-url', () => {
  it('drives a browser we did not launch, and closing the session leaves it running', async () => {
    const chromium = await browser();
    const cdpUrl = `http://127.0.0.1:${chromium.port}`;

    const opened = await btray(home, [
      '-s',
      'att',
      '--cdp-url',
      cdpUrl,
      'open',
      fixtures.url('form.html'),
    ]);
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);
    const state = await btray(home, ['-s', 'att', 'state']);
    expect(state.stdout).toContain('title: Sign-up form');

    const status = await requestData<StatusData>(home, 'att', 'status');
    expect(status.config.cdp_url).toBe(cdpUrl);
    expect(status.browser).toEqual({ pid: null, connected: true, launched: false });

    const closed = await btray(home, ['-s', 'att', 'close']);
    expect(closed.code).toBe(0);
    expect(phaseOf('att')).toBe('stopped');
    expect(await answers(chromium)).toBe(true);
    expect(await pageUrls(chromium)).toContain(fixtures.url('form.html'));
  });

  it('takes a ws:// address; a browser that goes away ends the session in seconds', async () => {
    const chromium = await browser();
    const opened = await btray(home, [
      '-s',
      'gone',
      '--cdp-url',
      chromium.wsEndpoint,
      'open',
      fixtures.url('done.html'),
    ]);
    expect(opened.code).toBe(0);
    const daemonPid = (await requestData<StatusData>(home, 'gone', 'status')).pid;

    const killedAt = Date.now();
    await chromium.kill();
    const ended = await waitUntil(
      () => ['stopped', 'failed'].includes(phaseOf('gone') ?? ''),
      5000,
    );
    const endedMs = Date.now() - killedAt;
    expect(ended).toBe(true);
    expect(endedMs).toBeLessThan(5000);
    expect(await waitUntil(() => !processAlive(daemonPid), 5000)).toBe(true);

    // The next command starts afresh and says clearly that nothing answers there.
    const again = await btray(home, ['-s', 'gone', '--cdp-url', chromium.wsEndpoint, 'state']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Cannot connect to ws:\/\/127\.0\.0\.1/);
  });

  it('close works while the session is still attaching', async () => {
    const chromium = await browser();
    const opening = btray(home, [
      '-s',
      'early',
      '--cdp-url',
      chromium.wsEndpoint,
      'open',
      fixtures.url('done.html'),
    ]);
    await waitUntil(() => phaseOf('early') !== undefined, 5000);
    const closed = await btray(home, ['-s', 'early', 'close']);
    expect(closed.code).toBe(0);
    await opening;
    expect(['stopped', 'failed']).toContain(phaseOf('early'));
    expect(await answers(chromium)).toBe(true);
  });
});

describe('connect', () => {
  it('finds a Chrome by its DevToolsActivePort file, past a stale one, and attaches', async () => {
    const chromium = await browser();
    const stale = join(home, 'stale-profile');
    mkdirSync(stale);
    writeFileSync(join(stale, 'DevToolsActivePort'), '9\n/devtools/browser/gone\n');
    const env = {
      BROWSER_TRAY_CHROME_PROFILES: [stale, chromium.userDataDir].join(':'),
      BROWSER_TRAY_CHROME_PORTS: '',
    };

    const connected = await btray(home, ['-s', 'found', 'connect'], env);
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    expect(connected.stdout.trim()).toBe(`Connected to ${chromium.wsEndpoint}`);

    const status = await requestData<StatusData>(home, 'found', 'status');
    expect(status.config.cdp_url).toBe(chromium.wsEndpoint);
    expect(status.browser?.launched).toBe(false);
    await btray(home, ['-s', 'found', 'open', fixtures.url('tabs.html')]);
    const tabs = await btray(home, ['-s', 'found', 'tab', 'list']);
    expect(tabs.stdout).toContain(fixtures.url('tabs.html'));

    await btray(home, ['-s', 'found', 'close']);
    expect(await answers(chromium)).toBe(true);
  });

  it('says how to turn remote debugging on when no Chrome has it, and starts nothing', async () => {
    const empty = join(home, 'no-chrome');
    mkdirSync(empty, { recursive: true });
    const result = await btray(home, ['-s', 'none', 'connect'], {
      BROWSER_TRAY_CHROME_PROFILES: empty,
      BROWSER_TRAY_CHROME_PORTS: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'No running Chrome or Chromium with remote debugging was found.',
    );
    expect(result.stderr).toContain(join(empty, 'DevToolsActivePort'));
    expect(result.stderr).toContain('chrome://inspect/#remote-debugging');
    expect(result.stderr).toContain('--remote-debugging-port=9222');
    expect(phaseOf('none')).toBeUndefined();
  });
});
