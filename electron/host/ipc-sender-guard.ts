/** What main knows about who sent an IPC message (from Electron's `IpcMainInvokeEvent`). */
export interface IpcSenderFacts {
  /** `event.sender.id`: the web contents that sent it. */
  webContentsId: number;
  /** `event.senderFrame?.url`: undefined when the frame is gone or navigated away. */
  frameUrl: string | undefined;
}

/** The one window allowed to talk to main, and where its pages come from. */
export interface TrustedSender {
  /** The dashboard window's web contents; undefined while no window is open. */
  webContentsId: number | undefined;
  /** The dashboard's scheme and host, e.g. `btray:` and `dashboard`. */
  protocol: string;
  host: string;
}

/**
 * Why a message must be refused, or undefined when it comes from a frame of the
 * dashboard window showing our own pages. Any other web contents (a future window, a
 * devtools extension) and any frame that navigated elsewhere are refused.
 */
export function ipcSenderProblem(
  sender: IpcSenderFacts,
  trusted: TrustedSender,
): string | undefined {
  if (trusted.webContentsId === undefined) return 'no dashboard window is open';
  if (sender.webContentsId !== trusted.webContentsId) {
    return `web contents ${sender.webContentsId} is not the dashboard window`;
  }
  if (!sender.frameUrl) return 'the sending frame is gone';

  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return 'the sending frame has no valid URL';
  }
  if (url.protocol !== trusted.protocol || url.host !== trusted.host) {
    return `the sending frame shows ${url.protocol}//${url.host}, not the dashboard`;
  }
  return undefined;
}
