import { app, dialog } from 'electron';
import type { HostedSessionData } from '../shared/host-control';
import type { Logger } from './daemon/logger';
import { QuitSequence } from './host/quit-sequence';
import type { SessionHost } from './host/session-host';

export interface QuitOptions {
  host: SessionHost;
  deadlineMs: number;
  beforeStop: () => void;
  afterStop: () => void;
  log: Logger;
}

const QUIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Wires the quit sequence to Electron: the tray's Quit asks first, a signal does not,
 * and `will-quit` (the quit is certain) stops every hosted session before `app.exit`.
 */
export function setupQuit(options: QuitOptions): { sequence: QuitSequence; dispose(): void } {
  const sequence = new QuitSequence({
    host: options.host,
    deadlineMs: options.deadlineMs,
    confirm: confirmQuit,
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
    beforeStop: options.beforeStop,
    afterStop: options.afterStop,
    log: options.log,
  });

  const onWillQuit = (event: Electron.Event) => sequence.onWillQuit(event);
  app.on('will-quit', onWillQuit);
  // Limitation: Windows has no SIGHUP; there the tray's Quit or logging off covers it.
  const onSignal = (signal: NodeJS.Signals) => {
    options.log.info({ signal }, 'signal received; quitting');
    void sequence.requestQuit(false);
  };
  for (const signal of QUIT_SIGNALS) process.on(signal, onSignal);

  return {
    sequence,
    dispose: () => {
      app.removeListener('will-quit', onWillQuit);
      for (const signal of QUIT_SIGNALS) process.removeListener(signal, onSignal);
    },
  };
}

/** Asked only while a hosted session has a browser open: quitting closes it. */
async function confirmQuit(sessions: HostedSessionData[]): Promise<boolean> {
  const names = sessions.map((session) => session.session).join(', ');
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Quit', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: 'Quit Browser Tray?',
    detail:
      `This stops the sessions hosted in the tray (${names}) and closes their browsers; ` +
      'recordings are finished first. Headless sessions keep running.',
  });
  return response === 0;
}
