// Takes docs/dashboard.png: the real dashboard server and renderer, in real Chromium,
// showing two sessions (one recording). The sessions are the test suite's stand-in
// daemons (real sockets, tokens and state files), so the picture needs no network.
// Usage: npm run build && node scripts/screenshot-dashboard.mjs [--dark] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const dark = process.argv.includes('--dark');
const outIndex = process.argv.indexOf('--out');
const out = resolve(
  outIndex === -1 ? `docs/dashboard${dark ? '-dark' : ''}.png` : process.argv[outIndex + 1],
);

const work = mkdtempSync(join(tmpdir(), 'btray-screenshot-'));
const home = join(work, 'home');
const bundle = join(work, 'helpers.cjs');
mkdirSync(home, { mode: 0o700 });

// The stand-in daemon and the server are TypeScript: bundle them for this script.
await build({
  stdin: {
    contents: [
      "export { FakeSession } from './test/host/fake-session';",
      "export { runDashboard } from './electron/host/dashboard-entry';",
      "export { ESSENTIAL_CHROMIUM_FLAGS } from './electron/browser/chrome-launcher';",
    ].join('\n'),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const { FakeSession, runDashboard, ESSENTIAL_CHROMIUM_FLAGS } = createRequire(import.meta.url)(
  bundle,
);

const sessions = [
  await FakeSession.start(home, 'research', {
    title: 'Quarterly report – Example Corp',
    url: 'https://example.com/reports/2026/q1',
    idleTimeoutS: 1800,
    recordingSinceS: 83,
    recordingName: 'research-2026-04-14.mp4',
    pid: 48213,
  }),
  await FakeSession.start(home, 'default', {
    title: 'Sign in · Example Mail',
    url: 'https://mail.example.org/login',
    idleTimeoutS: 1800,
    idleLeftS: 1342,
    pid: 48190,
  }),
];

const dashboard = await runDashboard({
  home,
  staticDir: resolve('dist/renderer'),
  print: () => undefined,
  newSession: async () => undefined,
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [...ESSENTIAL_CHROMIUM_FLAGS],
});
try {
  const page = await browser.newPage({
    viewport: { width: 560, height: 400 },
    deviceScaleFactor: 2,
    colorScheme: dark ? 'dark' : 'light',
  });
  await page.goto(dashboard.url);
  await page.getByRole('listitem').nth(1).waitFor();
  await page.getByText('Rec', { exact: true }).waitFor();
  // Let a tick pass so the countdowns show live values, then frame the content.
  await page.waitForTimeout(1200);
  const height = await page.evaluate(() => document.querySelector('.app').scrollHeight);
  await page.setViewportSize({ width: 560, height });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await dashboard.close();
  for (const session of sessions) session.crash();
  rmSync(work, { recursive: true, force: true });
}
