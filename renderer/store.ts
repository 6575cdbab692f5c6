import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionResult, DashboardBridge } from '../shared/bridge';
import { isLivePhase } from '../shared/phases';
import type { DashboardSnapshot, SessionSnapshot } from '../shared/snapshot';
import { describeChanges } from './announcements';

/** An action the person asked for, kept until a snapshot shows its effect. */
export type PendingKind =
  | 'stop'
  | 'record-start'
  | 'record-stop'
  | 'keep-open-on'
  | 'keep-open-off';

export interface PendingAction {
  kind: PendingKind;
  /** The bridge answered ok; now waiting for a snapshot that shows the effect. */
  answered: boolean;
  /** Client epoch ms when it was asked for. */
  since: number;
}

export type Connection = 'connecting' | 'live' | 'lost';

export interface DashboardState {
  snapshot: DashboardSnapshot | null;
  /** Client epoch ms when the snapshot arrived: countdowns run from here, not the host clock. */
  receivedAt: number;
  /** Client epoch ms, advanced every second so countdowns tick between snapshots. */
  now: number;
  pending: Record<string, PendingAction>;
  /** The last failed action per session, shown on its card. */
  errors: Record<string, string>;
  creating: boolean;
  createError: string | null;
  /** The latest change worth saying aloud to a screen reader. */
  announcement: string;

  receive(snapshot: DashboardSnapshot): void;
  tick(now: number): void;
  stopSession(name: string): Promise<void>;
  startRecording(name: string): Promise<void>;
  stopRecording(name: string): Promise<void>;
  setKeepOpen(name: string, on: boolean): Promise<void>;
  /** Resolves true when the session was created. */
  newSession(name: string): Promise<boolean>;
  dismissError(name: string): void;
  clearCreateError(): void;
}

export type DashboardStore = StoreApi<DashboardState>;

/**
 * The monitor emits at least every five seconds (its heartbeat); silence for two of them
 * and a little more means the link is down.
 */
export const LOST_AFTER_MS = 12_000;

/** An answered action whose effect never shows (the session vanished) stops waiting here. */
const PENDING_GIVE_UP_MS = 10_000;

/** The one dashboard store, fed by the bridge. `clock` is injectable for tests. */
export function createDashboardStore(
  bridge: DashboardBridge,
  clock: () => number = Date.now,
): DashboardStore {
  return createStore<DashboardState>()((set, get) => {
    const run = async (name: string, kind: PendingKind, call: () => Promise<ActionResult>) => {
      if (get().pending[name]) return;
      set((state) => ({
        pending: { ...state.pending, [name]: { kind, answered: false, since: clock() } },
        errors: without(state.errors, name),
      }));

      const result = await callSafely(call);
      set((state) => {
        if (result.ok) {
          const current = state.pending[name];
          if (!current) return {};
          const answered = { ...current, answered: true };
          const session = findSession(state.snapshot, name);
          const settled = isSettled(answered, session);
          return {
            pending: settled
              ? without(state.pending, name)
              : { ...state.pending, [name]: answered },
          };
        }
        const error = result.error ?? 'the action failed';
        return {
          pending: without(state.pending, name),
          errors: { ...state.errors, [name]: error },
          announcement: `${name}: ${error}`,
        };
      });
    };

    return {
      snapshot: null,
      receivedAt: 0,
      now: clock(),
      pending: {},
      errors: {},
      creating: false,
      createError: null,
      announcement: '',

      receive: (snapshot) =>
        set((state) => ({
          snapshot,
          receivedAt: clock(),
          now: clock(),
          pending: settlePending(state.pending, snapshot, clock()),
          announcement: state.snapshot
            ? describeChanges(state.snapshot, snapshot) || state.announcement
            : state.announcement,
        })),

      tick: (now) =>
        set((state) => ({ now, pending: settlePending(state.pending, state.snapshot, now) })),

      stopSession: (name) => run(name, 'stop', () => bridge.stopSession(name)),
      startRecording: (name) => run(name, 'record-start', () => bridge.startRecording(name)),
      stopRecording: (name) => run(name, 'record-stop', () => bridge.stopRecording(name)),
      setKeepOpen: (name, on) =>
        run(name, on ? 'keep-open-on' : 'keep-open-off', () => bridge.setKeepOpen(name, on)),

      newSession: async (name) => {
        set({ creating: true, createError: null });
        const result = await callSafely(() => bridge.newSession(name));
        set({
          creating: false,
          createError: result.ok ? null : (result.error ?? 'could not start the session'),
          announcement: result.ok ? `Session ${name} started` : `Session ${name} did not start`,
        });
        return result.ok;
      },

      dismissError: (name) => set((state) => ({ errors: without(state.errors, name) })),
      clearCreateError: () => set({ createError: null }),
    };
  });
}

/** Subscribes the store to the bridge and starts its clock; returns the way to stop both. */
export function connectStore(store: DashboardStore, bridge: DashboardBridge): () => void {
  const unsubscribe = bridge.subscribe((snapshot) => store.getState().receive(snapshot));
  const clock = setInterval(() => store.getState().tick(Date.now()), 1000);
  return () => {
    unsubscribe();
    clearInterval(clock);
  };
}

export function connectionOf(state: DashboardState): Connection {
  if (!state.snapshot) return 'connecting';
  return state.now - state.receivedAt > LOST_AFTER_MS ? 'lost' : 'live';
}

export function findSession(
  snapshot: DashboardSnapshot | null,
  name: string,
): SessionSnapshot | undefined {
  return snapshot?.sessions.find((session) => session.name === name);
}

/** Whether a snapshot shows what the person asked for. */
export function isSettled(pending: PendingAction, session: SessionSnapshot | undefined): boolean {
  if (!pending.answered) return false;
  if (!session) return true;

  switch (pending.kind) {
    case 'stop':
      return !isLivePhase(session.phase);
    case 'record-start':
      return session.recording?.active === true;
    case 'record-stop':
      return session.recording?.active !== true;
    case 'keep-open-on':
      return session.keep_open;
    case 'keep-open-off':
      return !session.keep_open;
  }
}

function settlePending(
  pending: Record<string, PendingAction>,
  snapshot: DashboardSnapshot | null,
  now: number,
): Record<string, PendingAction> {
  const kept: Record<string, PendingAction> = {};
  for (const [name, action] of Object.entries(pending)) {
    const expired = action.answered && now - action.since > PENDING_GIVE_UP_MS;
    if (!expired && !isSettled(action, findSession(snapshot, name))) kept[name] = action;
  }
  return kept;
}

/** A bridge that throws (a lost IPC channel, a bug) still ends up as an error on screen. */
async function callSafely(call: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}
