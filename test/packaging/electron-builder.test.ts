import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, statePhase, waitFor } from '../host/host-test-kit';

const ROOT = join(__dirname, '..', '..');
const CONFIG_FILE = join(ROOT, 'electron-builder.json');
const BUILDER_CLI = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
const ELECTRON_VERSION = JSON.parse(
  readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version as string;

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  npmRebuild: boolean;
  linux: { target: string[]; executableName: string; icon: string; maintainer: string };
  mac: { target: string[]; icon: string; extendInfo: Record<string, unknown> };
  win: { target: string[]; icon: string };
}

const config = JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as BuilderConfig;

describe('electron-builder configuration (static)', () => {
  it('names the app and keeps native rebuilds off (the bundles have no native modules)', () => {
    expect(config.appId).toBe('dev.browsertray.app');
    expect(config.productName).toBe('Browser Tray');
    expect(config.npmRebuild).toBe(false);
  });

  it('targets AppImage and deb, a tray-only macOS dmg (no dock icon) and Windows nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.win.target).toEqual(['nsis']);
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(existsSync(join(ROOT, icon)), icon).toBe(true);
    }
  });

  it('ships the shell, the CLI, the daemon, the renderer and the tray icons', () => {
    for (const bundle of ['main', 'preload', 'btray', 'daemon', 'dashboard']) {
      expect(config.files).toContain(`dist/${bundle}.cjs`);
    }
    expect(config.files).toEqual(expect.arrayContaining(['dist/renderer/**/*', 'build/tray/**/*']));
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['dist/btray.cjs', 'dist/daemon.cjs', 'dist/renderer/**/*']),
    );
    expect(config.extraResources).toEqual([{ from: 'build/bin', to: 'bin' }]);
    expect(existsSync(join(ROOT, 'build', 'bin', 'btray'))).toBe(true);
    expect(existsSync(join(ROOT, 'build', 'bin', 'btray.cmd'))).toBe(true);
  });

  it('has a dist script that builds the bundles and then packages', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

    expect(pkg.scripts.dist).toBe('node scripts/build.mjs && electron-builder');
    expect(pkg.main).toBe('dist/main.cjs');
  });

  it('the committed icons are exactly what scripts/make-icons.mjs draws', () => {
    const out = mkdtempSync(join(tmpdir(), 'btray-icons-'));
    try {
      const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-icons.mjs'), out]);
      expect(run.status, String(run.stderr)).toBe(0);
      const files = ['icon.png', 'tray/trayTemplate@2x.png', 'tray/tray-recording-dark.png'];
      for (const file of files) {
        expect(
          readFileSync(join(out, file)).equals(readFileSync(join(ROOT, 'build', file))),
          file,
        ).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/**
 * The real packager on this machine, Linux `--dir` only: the Electron binary cannot be
 * downloaded here, so a stub stands in for it (a script that runs node, which is what
 * ELECTRON_RUN_AS_NODE makes the real binary do). macOS dmg and Windows nsis cannot be
 * built on Linux without their toolchains; their sections are checked statically above
 * and by electron-builder's own schema validation here.
 */
describe('electron-builder --dir with a stub Electron (Linux)', () => {
  let work: string;
  let appDir: string;
  let builder: { status: number | null; output: string };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'btray-pack-'));
    const stub = join(work, 'electron-dist');
    mkdirSync(stub);
    writeFileSync(join(stub, 'electron'), '#!/bin/sh\nexec node "$@"\n');
    chmodSync(join(stub, 'electron'), 0o755);
    writeFileSync(join(stub, 'version'), ELECTRON_VERSION);
    builder = await runBuilder([
      '--dir',
      '--linux',
      '--config',
      CONFIG_FILE,
      `-c.electronDist=${stub}`,
      `-c.directories.output=${join(work, 'out')}`,
    ]);
    appDir = join(work, 'out', 'linux-unpacked');
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('validates the configuration and packs the app', () => {
    expect(builder.status, builder.output).toBe(0);
    expect(existsSync(join(appDir, 'browser-tray'))).toBe(true);
  });

  it('puts the shell, renderer and tray icons in app.asar, and no node_modules', () => {
    const listing = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@electron', 'asar', 'bin', 'asar.js'), 'list', asarPath()],
      { encoding: 'utf8' },
    );
    const entries = listing.stdout.split('\n').filter(Boolean);

    expect(listing.status, listing.stderr).toBe(0);
    expect(entries).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/main.cjs',
        '/dist/preload.cjs',
        '/dist/renderer/index.html',
        '/build/tray/trayTemplate.png',
        '/build/tray/tray-light@2x.png',
      ]),
    );
    expect(entries.filter((entry) => entry.startsWith('/node_modules'))).toEqual([]);
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
  });

  it('runs the shipped CLI outside the asar: a real session from the packaged bundles', async () => {
    const home = makeHome('packed');
    const cli = join(appDir, 'resources', 'bin', 'btray');
    const env = {
      ...process.env,
      BROWSER_TRAY_HOME: home,
      BROWSER_TRAY_CHROME: '/usr/bin/chromium',
    };
    try {
      const opened = spawnSync(cli, ['open', 'data:text/html,<title>Packed</title>'], { env });
      const title = spawnSync(cli, ['eval', 'document.title'], { env, encoding: 'utf8' });

      expect(opened.status, String(opened.stderr)).toBe(0);
      expect(title.stdout.trim()).toBe('Packed');
    } finally {
      spawnSync(cli, ['close'], { env });
      await waitFor('the packaged daemon to stop', () => statePhase(home, 'default') === 'stopped');
      rmSync(home, { recursive: true, force: true });
    }
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', 'dist', 'daemon.cjs'))).toBe(
      true,
    );
  });

  function asarPath(): string {
    return join(appDir, 'resources', 'app.asar');
  }
});

function runBuilder(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILDER_CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, output }));
  });
}
