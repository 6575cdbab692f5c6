import { join } from 'node:path';
import { app, dialog } from 'electron';
import { errorMessage } from '../shared/errors';
import { claimSingleInstance, setupBeforeReady, startTrayApp, type TrayApp } from './tray-app';

/**
 * The Electron entry (bundled to dist/main.cjs). The running app is held here for its
 * whole life: a Tray that gets garbage-collected vanishes from the panel.
 */
const lifetime: { running?: TrayApp } = {};

if (claimSingleInstance()) {
  setupBeforeReady();
  startTrayApp({
    env: process.env,
    bundleDir: __dirname,
    iconDir: join(app.getAppPath(), 'build', 'tray'),
  }).then(
    (running) => {
      lifetime.running = running;
    },
    (error: unknown) => {
      dialog.showErrorBox('Browser Tray could not start', errorMessage(error));
      app.exit(1);
    },
  );
}
