import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { trayIconFile } from '../../electron/host/tray-icon';
import {
  buildTrayMenuModel,
  type TrayAction,
  type TrayMenuModel,
} from '../../electron/host/tray-menu-model';
import { TrayMenu } from '../../electron/tray-menu';
import type { RecordingStatus } from '../../shared/recording';
import type { DashboardSnapshot, SessionSnapshot } from '../../shared/snapshot';
import { nativeTheme, resetStandIn, Tray } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

const ICON_DIR = join(__dirname, '..', '..', 'build', 'tray');

function session(name: string, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    name,
    host: 'tray',
    pid: 4242,
    phase: 'ready',
    unresponsive: false,
    gone: false,
    unreadable: false,
    config: { headed: false, profile: null, cdp_url: null, use_cloud: false },
    idle_timeout_s: 1800,
    idle_seconds_left: 1700,
    keep_open: false,
    recording: null,
    url: null,
    title: null,
    updated_at: 1_700_000_000,
    problem: null,
    ended_because: null,
    ...overrides,
  };
}

function snapshot(...sessions: SessionSnapshot[]): DashboardSnapshot {
  return { taken_at: Date.now(), home: '/tmp/home', sessions };
}

const RECORDING: RecordingStatus = {
  active: true,
  path: '/tmp/rec.mp4',
  framerate: 10,
  started_at: 1_700_000_000,
  elapsed_s: 12,
  frames: 80,
  size_bytes: 1000,
};

function labels(model: TrayMenuModel): string[] {
  return model.entries.map((entry) => (entry.type === 'separator' ? '---' : entry.label));
}

function itemNamed(model: TrayMenuModel, label: string) {
  const entry = model.entries.find(
    (candidate) => candidate.type === 'item' && candidate.label === label,
  );
  if (entry?.type !== 'item') throw new Error(`no item ${label} in ${labels(model)}`);
  return entry;
}

describe('buildTrayMenuModel', () => {
  it('offers the dashboard, a new session and Quit when there are no sessions', () => {
    const model = buildTrayMenuModel(snapshot());

    expect(labels(model)).toEqual([
      'No sessions',
      '---',
      'Open dashboard',
      'New session…',
      '---',
      'Stop all',
      '---',
      'Quit Browser Tray',
    ]);
    expect(itemNamed(model, 'No sessions').enabled).toBe(false);
    expect(itemNamed(model, 'Stop all').enabled).toBe(false);
    expect(model.tooltip).toBe('Browser Tray — no sessions');
    expect(model.recording).toBe(false);
  });

  it('lists each session with its phase, a recording mark and a Stop item', () => {
    const model = buildTrayMenuModel(
      snapshot(
        session('default', { phase: 'running', recording: RECORDING }),
        session('ci', { host: 'headless' }),
      ),
    );

    expect(labels(model)).toEqual([
      'default — running · ● REC',
      'ci — ready (headless)',
      '---',
      'Open dashboard',
      'New session…',
      '---',
      'Stop default',
      'Stop ci',
      'Stop all',
      '---',
      'Quit Browser Tray',
    ]);
    expect(itemNamed(model, 'Stop default').action).toEqual({
      kind: 'stop-session',
      session: 'default',
    });
    expect(itemNamed(model, 'Stop all').enabled).toBe(true);
    expect(itemNamed(model, 'ci — ready (headless)').action).toEqual({ kind: 'open-dashboard' });
    expect(model.tooltip).toBe('Browser Tray — 2 sessions, 1 recording');
    expect(model.recording).toBe(true);
  });

  it('offers no Stop for a session stopping, failed or not answering, and hides stopped ones', () => {
    const model = buildTrayMenuModel(
      snapshot(
        session('leaving', { phase: 'shutting_down' }),
        session('broken', { phase: 'failed' }),
        session('hung', { phase: 'running', unresponsive: true }),
        session('gone', { phase: 'stopped' }),
      ),
    );

    expect(labels(model).slice(0, 3)).toEqual([
      'leaving — stopping',
      'broken — failed',
      'hung — not responding',
    ]);
    expect(
      labels(model).filter((label) => label.startsWith('Stop ') && label !== 'Stop all'),
    ).toEqual([]);
    expect(itemNamed(model, 'Stop all').enabled).toBe(false);
    expect(model.tooltip).toBe('Browser Tray — 3 sessions');
  });

  it('leaves a session whose process is gone out of the list and the counts', () => {
    const model = buildTrayMenuModel(
      snapshot(
        session('ghost', {
          phase: 'running',
          gone: true,
          unresponsive: true,
          recording: RECORDING,
        }),
        session('broken', { phase: 'failed', unreadable: true }),
        session('live', { phase: 'running' }),
      ),
    );

    expect(labels(model)[0]).toBe('live — running');
    expect(labels(model).some((label) => /ghost|broken/.test(label))).toBe(false);
    expect(model.tooltip).toBe('Browser Tray — 1 session');
    expect(model.recording).toBe(false);
  });

  it('says while quitting which hosted recordings it waits for, and offers only the dashboard', () => {
    const model = buildTrayMenuModel(
      snapshot(
        session('clip', { phase: 'shutting_down', recording: RECORDING }),
        session('ci', { host: 'headless', phase: 'running', recording: RECORDING }),
        session('idle', { phase: 'shutting_down' }),
      ),
      { quitting: true },
    );

    expect(labels(model)).toEqual([
      'Quitting Browser Tray…',
      'Finishing recording of clip…',
      '---',
      'Open dashboard',
    ]);
    expect(itemNamed(model, 'Finishing recording of clip…').enabled).toBe(false);
    expect(model.tooltip).toBe('Browser Tray — quitting: finishing recording of clip…');
    expect(model.recording).toBe(true);
  });

  it('says it closes the browsers while quitting with nothing to finish', () => {
    const model = buildTrayMenuModel(snapshot(session('idle')), { quitting: true });

    expect(labels(model)[1]).toBe('Closing the browsers…');
    expect(model.tooltip).toBe('Browser Tray — quitting: closing the browsers…');
  });

  it('shows a session that is launching its browser', () => {
    const model = buildTrayMenuModel(snapshot(session('boot', { phase: 'starting' })));

    expect(labels(model)[0]).toBe('boot — launching browser');
    expect(labels(model)).toContain('Stop boot');
  });
});

describe('trayIconFile', () => {
  it('uses template images on macOS and themed glyphs elsewhere, all present in build/tray', () => {
    const choices = [
      { platform: 'darwin' as const, darkTheme: true, recording: false },
      { platform: 'darwin' as const, darkTheme: false, recording: true },
      { platform: 'linux' as const, darkTheme: true, recording: false },
      { platform: 'linux' as const, darkTheme: false, recording: false },
      { platform: 'win32' as const, darkTheme: true, recording: true },
      { platform: 'win32' as const, darkTheme: false, recording: true },
    ];
    const files = choices.map(trayIconFile);

    expect(files).toEqual([
      'trayTemplate.png',
      'tray-recordingTemplate.png',
      'tray-dark.png',
      'tray-light.png',
      'tray-recording-dark.png',
      'tray-recording-light.png',
    ]);
    for (const file of files) {
      expect(existsSync(join(ICON_DIR, file)), file).toBe(true);
      expect(existsSync(join(ICON_DIR, file.replace('.png', '@2x.png'))), file).toBe(true);
    }
  });
});

describe('TrayMenu (Electron stand-in)', () => {
  let actions: TrayAction[];
  let menu: TrayMenu;

  beforeEach(() => {
    resetStandIn();
    actions = [];
    menu = new TrayMenu({
      iconDir: ICON_DIR,
      onAction: (action) => actions.push(action),
      log: silentLogger(),
    });
  });

  afterEach(() => menu.destroy());

  function tray(): Tray {
    const created = Tray.created[0];
    if (!created) throw new Error('no tray was created');
    return created;
  }

  it('builds the menu from a snapshot and sends clicks to the action handler', () => {
    menu.render(buildTrayMenuModel(snapshot(session('work', { phase: 'running' }))));

    const items = tray().menu?.items ?? [];
    expect(items.map((item) => item.label ?? item.type)).toContain('work — running');
    items.find((item) => item.label === 'Stop work')?.click?.();
    items.find((item) => item.label === 'Quit Browser Tray')?.click?.();

    expect(actions).toEqual([{ kind: 'stop-session', session: 'work' }, { kind: 'quit' }]);
    expect(tray().toolTip).toBe('Browser Tray — 1 session');
  });

  it('rebuilds the menu only when the sessions changed', () => {
    menu.render(buildTrayMenuModel(snapshot(session('a'))));
    menu.render(buildTrayMenuModel(snapshot(session('a'))));
    expect(tray().menuBuilds).toBe(1);

    menu.render(buildTrayMenuModel(snapshot(session('a'), session('b'))));
    expect(tray().menuBuilds).toBe(2);
  });

  it('switches the icon for recording and for the panel theme', () => {
    const platformIcon = (recording: boolean, dark: boolean) =>
      join(ICON_DIR, trayIconFile({ platform: process.platform, darkTheme: dark, recording }));
    expect(tray().image.path).toBe(platformIcon(false, false));

    menu.render(buildTrayMenuModel(snapshot(session('rec', { recording: RECORDING }))));
    expect(tray().image.path).toBe(platformIcon(true, false));

    nativeTheme.shouldUseDarkColors = true;
    nativeTheme.emit('updated');
    expect(tray().image.path).toBe(platformIcon(true, true));
    expect(tray().image.isEmpty()).toBe(false);
  });

  it('opens the dashboard when the icon itself is clicked (where clicks arrive)', () => {
    tray().emit('click');

    expect(actions).toEqual(process.platform === 'darwin' ? [] : [{ kind: 'open-dashboard' }]);
  });
});
