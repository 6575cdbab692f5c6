import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, type DashboardBridge } from '../../shared/bridge';
import type { DashboardSnapshot } from '../../shared/snapshot';
import { contextBridge, ipcRenderer, resetStandIn } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

let bridge: DashboardBridge;

beforeAll(async () => {
  resetStandIn();
  await import('../../electron/preload');
  bridge = contextBridge.exposed.get('btray') as DashboardBridge;
});

function snapshot(takenAt: number): DashboardSnapshot {
  return { taken_at: takenAt, home: '/h', sessions: [] };
}

describe('preload', () => {
  it('exposes only window.btray, with exactly the bridge functions', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['btray']);
    expect(Object.keys(bridge).sort()).toEqual([
      'newSession',
      'onNewSessionRequested',
      'setKeepOpen',
      'startRecording',
      'stopRecording',
      'stopSession',
      'subscribe',
    ]);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('sends each action on its own channel with its arguments', async () => {
    ipcRenderer.invoked.length = 0;

    await bridge.stopSession('a');
    await bridge.startRecording('a');
    await bridge.stopRecording('a');
    await bridge.setKeepOpen('a', true);
    await bridge.newSession('b');

    expect(ipcRenderer.invoked).toEqual([
      { channel: BRIDGE_CHANNELS.stopSession, args: ['a'] },
      { channel: BRIDGE_CHANNELS.startRecording, args: ['a'] },
      { channel: BRIDGE_CHANNELS.stopRecording, args: ['a'] },
      { channel: BRIDGE_CHANNELS.setKeepOpen, args: ['a', true] },
      { channel: BRIDGE_CHANNELS.newSession, args: ['b'] },
    ]);
  });

  it('hands the page snapshots only, never the IPC event, newest first wins', async () => {
    ipcRenderer.invokeAnswer = snapshot(100);
    const received: unknown[][] = [];

    const unsubscribe = bridge.subscribe((...args: unknown[]) => received.push(args));
    const [listener] = ipcRenderer.listeners.get(BRIDGE_CHANNELS.snapshot) ?? [];
    listener?.({ sender: 'ipc event' }, snapshot(200));
    await vi.waitFor(() =>
      expect(ipcRenderer.invoked.at(-1)?.channel).toBe(BRIDGE_CHANNELS.requestSnapshot),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    unsubscribe();

    // The pushed snapshot (200) came before the answer to the first request (100): kept.
    expect(received).toEqual([[snapshot(200)]]);
    expect(ipcRenderer.listeners.get(BRIDGE_CHANNELS.snapshot)?.size).toBe(0);
  });

  it('tells the page that the tray asks for the new-session form, with no IPC event', () => {
    const calls: unknown[][] = [];
    const undo = bridge.onNewSessionRequested?.((...args: unknown[]) => calls.push(args));
    const [listener] = ipcRenderer.listeners.get(BRIDGE_CHANNELS.newSessionRequested) ?? [];
    listener?.({ sender: 'ipc event' });
    undo?.();

    expect(calls).toEqual([[]]);
    expect(ipcRenderer.listeners.get(BRIDGE_CHANNELS.newSessionRequested)?.size).toBe(0);
  });
});
