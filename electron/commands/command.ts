import type { z } from 'zod';
import { TrayError } from '../../shared/errors';
import type { BrowserSession } from '../browser/browser-session';
import type { Recorder } from '../browser/recorder';
import type { Logger } from '../daemon/logger';

/** What every handler may use, with or without a browser. */
export interface SessionContext {
  /** The session's screen recorder; recording state belongs to the session. */
  recorder: Recorder;
  navigationTimeoutMs: number;
  log: Logger;
}

/** What a browser command's handler may use: the session's, plus the started browser. */
export interface CommandContext extends SessionContext {
  browser: BrowserSession;
  /**
   * Aborts when the client that asked went away (see `cancel_on_disconnect`). Long
   * commands (`eval`, `wait`) stop for it; short ones simply finish.
   */
  cancelled: AbortSignal;
}

/** The error a command ends with when its client went away; nobody reads it but the log. */
export function cancelledError(action: string): TrayError {
  return new TrayError('CANCELLED', `${action}: cancelled, its client went away`);
}

/** One protocol action: its parameter schema and its handler. */
export interface Command<S extends z.ZodType = z.ZodType> {
  action: string;
  params: S;
  run(context: CommandContext, params: z.infer<S>): Promise<unknown>;
  /**
   * The command keeps a deadline of its own (`eval --timeout`, `wait --timeout`); the
   * others get the session's command deadline.
   */
  ownDeadline?: boolean;
  /**
   * Answers at once, without starting the browser or waiting behind browser commands,
   * when the call needs neither (`record status`); undefined sends it through the queue.
   */
  answerAtOnce?(context: SessionContext, params: z.infer<S>): Promise<unknown> | undefined;
}

/** Keeps the schema and handler types tied together at the definition site. */
export function defineCommand<S extends z.ZodType>(command: Command<S>): Command<S> {
  return command;
}
