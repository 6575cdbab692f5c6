import { type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { DashboardBridge } from '../shared/bridge';
import type { DashboardSnapshot } from '../shared/snapshot';
import type { Logger } from './daemon/logger';
import { createBridgeIpcHandlers, INVOKE_CHANNELS } from './host/bridge-ipc';
import { ipcSenderProblem } from './host/ipc-sender-guard';
import { RENDERER_HOST, RENDERER_SCHEME } from './host/renderer-protocol';

export interface IpcOptions {
  bridge: DashboardBridge;
  snapshot: () => Promise<DashboardSnapshot | undefined>;
  /** The dashboard window's web contents id, the only sender accepted. */
  trustedWebContentsId: () => number | undefined;
  log: Logger;
}

/**
 * Handles the dashboard's fixed list of channels, and only messages from a frame of the
 * dashboard window that shows our own page. Returns a function that removes the handlers.
 */
export function setupIpc(options: IpcOptions): () => void {
  const handlers = createBridgeIpcHandlers(options);

  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const problem = ipcSenderProblem(
        { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url },
        {
          webContentsId: options.trustedWebContentsId(),
          protocol: `${RENDERER_SCHEME}:`,
          host: RENDERER_HOST,
        },
      );
      if (problem) {
        options.log.warn({ channel, problem }, 'IPC - message refused');
        throw new Error(`IPC refused: ${problem}`);
      }
      return handlers[channel](args);
    });
  }

  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
