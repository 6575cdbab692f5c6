import { type ActionResult, BRIDGE_CHANNELS, type DashboardBridge } from '../../shared/bridge';
import { sessionNameProblem } from '../../shared/session-name';
import type { DashboardSnapshot } from '../../shared/snapshot';

/**
 * The channels the dashboard may invoke, and only these: the snapshot channel carries
 * pushes from main to the window and is never handled.
 */
export const INVOKE_CHANNELS = [
  BRIDGE_CHANNELS.requestSnapshot,
  BRIDGE_CHANNELS.stopSession,
  BRIDGE_CHANNELS.startRecording,
  BRIDGE_CHANNELS.stopRecording,
  BRIDGE_CHANNELS.setKeepOpen,
  BRIDGE_CHANNELS.newSession,
] as const;

/** Why a recording path from the dashboard is refused, over IPC and HTTP alike. */
export const PATH_REFUSED = 'the dashboard names recordings itself: a path is not accepted';

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

/** One channel's handler: the renderer's arguments, untrusted, in; the answer out. */
export type IpcHandler = (args: readonly unknown[]) => Promise<unknown>;

export interface BridgeIpcOptions {
  bridge: DashboardBridge;
  /** A fresh snapshot, for a window that just opened. */
  snapshot: () => Promise<DashboardSnapshot | undefined>;
}

/**
 * The main-process side of the bridge: each invoke channel checks its arguments (they
 * come from a web page) and calls the bridge. A bad argument answers `{ok: false}`.
 */
export function createBridgeIpcHandlers(
  options: BridgeIpcOptions,
): Record<InvokeChannel, IpcHandler> {
  const { bridge } = options;
  return {
    [BRIDGE_CHANNELS.requestSnapshot]: () => options.snapshot(),
    [BRIDGE_CHANNELS.stopSession]: (args) => withName(args[0], (name) => bridge.stopSession(name)),
    [BRIDGE_CHANNELS.startRecording]: (args) =>
      withName(args[0], (name) => {
        // Said out loud rather than ignored: a page that sends a path expects it used.
        if (args.length > 1) return refused(PATH_REFUSED);
        return bridge.startRecording(name);
      }),
    [BRIDGE_CHANNELS.stopRecording]: (args) =>
      withName(args[0], (name) => bridge.stopRecording(name)),
    [BRIDGE_CHANNELS.setKeepOpen]: (args) =>
      withName(args[0], (name) => {
        const on = args[1];
        if (typeof on !== 'boolean') return refused('on must be true or false');
        return bridge.setKeepOpen(name, on);
      }),
    [BRIDGE_CHANNELS.newSession]: (args) => withName(args[0], (name) => bridge.newSession(name)),
  };
}

export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

async function withName(
  value: unknown,
  run: (name: string) => Promise<ActionResult>,
): Promise<ActionResult> {
  if (typeof value !== 'string') return refused('the session name must be a string');
  const problem = sessionNameProblem(value);
  if (problem) return refused(problem);
  return run(value);
}

function refused(error: string): Promise<ActionResult> {
  return Promise.resolve({ ok: false, error });
}
