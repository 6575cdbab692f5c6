import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type ActionResult, BRIDGE_CHANNELS, type DashboardBridge } from '../shared/bridge';
import type { DashboardSnapshot } from '../shared/snapshot';

/**
 * The dashboard bridge over IPC, and nothing else: the page gets these seven functions as
 * `window.btray`, never `ipcRenderer` itself nor an IPC event object.
 */
const bridge: DashboardBridge = {
  subscribe(listener) {
    let newestTakenAt = 0;
    const deliver = (snapshot: DashboardSnapshot | undefined) => {
      // The first snapshot is asked for while pushes may already arrive: keep the newest.
      if (!snapshot || snapshot.taken_at < newestTakenAt) return;
      newestTakenAt = snapshot.taken_at;
      listener(snapshot);
    };
    const onSnapshot = (_event: IpcRendererEvent, snapshot: DashboardSnapshot) => deliver(snapshot);

    ipcRenderer.on(BRIDGE_CHANNELS.snapshot, onSnapshot);
    ipcRenderer
      .invoke(BRIDGE_CHANNELS.requestSnapshot)
      .then((snapshot: DashboardSnapshot | undefined) => deliver(snapshot))
      .catch((error: unknown) => console.error('Browser Tray: no first snapshot', error));
    return () => {
      ipcRenderer.removeListener(BRIDGE_CHANNELS.snapshot, onSnapshot);
    };
  },
  stopSession: (name) => invoke(BRIDGE_CHANNELS.stopSession, name),
  startRecording: (name) => invoke(BRIDGE_CHANNELS.startRecording, name),
  stopRecording: (name) => invoke(BRIDGE_CHANNELS.stopRecording, name),
  setKeepOpen: (name, on) => invoke(BRIDGE_CHANNELS.setKeepOpen, name, on),
  newSession: (name) => invoke(BRIDGE_CHANNELS.newSession, name),
  onNewSessionRequested(listener) {
    const onRequest = () => listener();
    ipcRenderer.on(BRIDGE_CHANNELS.newSessionRequested, onRequest);
    return () => {
      ipcRenderer.removeListener(BRIDGE_CHANNELS.newSessionRequested, onRequest);
    };
  },
};

function invoke(channel: string, ...args: unknown[]): Promise<ActionResult> {
  return ipcRenderer.invoke(channel, ...args) as Promise<ActionResult>;
}

contextBridge.exposeInMainWorld('btray', bridge);
