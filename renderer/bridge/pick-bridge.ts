import type { DashboardBridge } from '../../shared/bridge';
import { createHttpBridge } from './http-bridge';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the page is served by `btray dashboard`. */
    btray?: DashboardBridge;
  }
}

/** The tray window's IPC bridge when the preload provided one, else the web server's. */
export function pickBridge(): DashboardBridge {
  return window.btray ?? createHttpBridge();
}
