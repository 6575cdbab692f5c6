import type { z } from 'zod';
import type { BrowserSession } from '../browser/browser-session';
import type { Recorder } from '../browser/recorder';
import type { Logger } from '../daemon/logger';

/** What a command handler may use: the browser, the session's settings, and a logger. */
export interface CommandContext {
  browser: BrowserSession;
  /** The session's screen recorder; recording state belongs to the session. */
  recorder: Recorder;
  navigationTimeoutMs: number;
  log: Logger;
}

/** One protocol action: its parameter schema and its handler. */
export interface Command<S extends z.ZodType = z.ZodType> {
  action: string;
  params: S;
  run(context: CommandContext, params: z.infer<S>): Promise<unknown>;
}

/** Keeps the schema and handler types tied together at the definition site. */
export function defineCommand<S extends z.ZodType>(command: Command<S>): Command<S> {
  return command;
}
