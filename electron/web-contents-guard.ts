import { app, type WebContents } from 'electron';
import type { Logger } from './daemon/logger';

/**
 * Every web contents the app ever creates (the dashboard, its devtools, anything a
 * future window brings) stays where it was loaded: no navigation, no redirect, no
 * webview, no new window. One guard for all, so a new window cannot forget it.
 */
export function setupWebContentsGuard(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => refuseLeaving(contents, log));
}

function refuseLeaving(contents: WebContents, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn({ url }, 'WebContentsGuard - navigation refused');
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn({ url }, 'WebContentsGuard - redirect refused');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('WebContentsGuard - webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn({ url }, 'WebContentsGuard - new window refused');
    return { action: 'deny' };
  });
}
