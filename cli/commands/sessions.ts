import type { Command } from 'commander';
import {
  ensureHome,
  listSessionNames,
  type SessionPaths,
  sessionPaths,
} from '../../electron/daemon/paths';
import { processAlive } from '../../electron/daemon/process-alive';
import { sendRequest } from '../../electron/daemon/socket-client';
import { readStateFile } from '../../electron/daemon/state-file';
import { isTerminalPhase } from '../../shared/phases';
import type { StatusData } from '../../shared/protocol';
import { pingSession, probeSession, shuttingDownState, tokenRefused } from '../daemon-locator';
import { CliError } from '../exit-codes';
import { type GlobalOptions, readGlobals } from '../globals';
import { printError, printResponse } from '../output';
import { runAction } from '../session-command';

const CLOSE_WAIT_MS = 120_000;
/** A state file read is a few microseconds: poll often, so `close` returns soon after. */
const CLOSE_POLL_MS = 10;

/** Session management: list, inspect, keep open, close. */
export function registerSessionCommands(program: Command): void {
  program
    .command('sessions')
    .description('list the sessions in the home folder')
    .action((_options, command: Command) => listSessions(readGlobals(command)));

  program
    .command('status')
    .description('phase, idle countdown, recording and page of the session')
    .action((_options, command: Command) => runAction(command, 'status', {}, { start: false }));

  program
    .command('keep-open')
    .description('pause (on) or resume (off) the idle timeout of the session')
    .argument('<on|off>')
    .action((value: string, _options, command: Command) => {
      if (value !== 'on' && value !== 'off')
        throw new CliError(`keep-open takes on or off, got ${value}`, 2);
      return runAction(command, 'keep_open', { on: value === 'on' }, { start: false });
    });

  program
    .command('close')
    .description(
      'close the session (its recording is finished first) or, with --all, every session',
    )
    .option('--all', 'close every running session')
    .action(async (options: { all?: boolean }, command: Command) => {
      const globals = readGlobals(command);
      const names = options.all ? sessionNames(globals.home) : [globals.session];
      const results = await Promise.all(
        names.map((name) => closeSession(globals, name, { all: options.all === true })),
      );
      if (options.all && results.every((closed) => !closed))
        report(globals, 'No session was running.', {});
    });
}

/** Names of the sessions that have a state file. */
function sessionNames(home: string): string[] {
  ensureHome(home);
  return listSessionNames(home);
}

/**
 * Closes one session and says so. With `all`, a session that is not running is passed over
 * in silence: `close --all` sums those up in one line.
 */
async function closeSession(
  globals: GlobalOptions,
  name: string,
  options: { all: boolean },
): Promise<boolean> {
  const paths = sessionPaths(globals.home, name);
  const probe = await probeSession(paths);
  if (probe.kind === 'refused') {
    // Alive, but not ours to stop with this token: "not running" would be a lie.
    const refused = tokenRefused(paths);
    printError(refused.message, refused.hint);
    process.exitCode = refused.exitCode;
    return false;
  }
  const video = recordingPath(paths);
  if (probe.kind === 'live') {
    const response = await sendRequest(paths.socket, probe.session.token, 'shutdown');
    if (!response.success) {
      process.exitCode = printResponse(response, globals.json);
      return false;
    }
  } else if (!shuttingDownState(paths)) {
    if (!options.all)
      report(globals, `Session "${name}" is not running.`, { session: name, closed: false });
    return false;
  }
  // Wait for the daemon to finish: a recording is completed before the browser closes. A
  // session already shutting down (another close, its idle timeout) is waited for the same way.
  const deadline = Date.now() + CLOSE_WAIT_MS;
  while (Date.now() < deadline) {
    // `stopped` only: a session whose browser failed to start is `failed` before it closes.
    const state = readStateFile(paths.state);
    if (!state.ok || state.state.phase === 'stopped' || !processAlive(state.state.pid)) {
      const saved = video ? ` Its recording was saved to ${video}.` : '';
      report(globals, `Closed session "${name}".${saved}`, {
        session: name,
        closed: true,
        ...(video ? { recording: video } : {}),
      });
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, CLOSE_POLL_MS));
  }
  report(globals, `Session "${name}" is still shutting down; see ${paths.log}.`, {
    session: name,
    closed: false,
  });
  return true;
}

/** The video a session is recording, read before it is closed: the close finishes it. */
function recordingPath(paths: SessionPaths): string | undefined {
  const read = readStateFile(paths.state);
  return read.ok && read.state.recording?.active ? read.state.recording.path : undefined;
}

async function listSessions(globals: GlobalOptions): Promise<void> {
  const rows = await Promise.all(
    sessionNames(globals.home).map((name) => describeSession(globals.home, name)),
  );
  if (globals.json) {
    process.stdout.write(`${JSON.stringify({ success: true, data: { sessions: rows } })}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('No sessions. Start one with: btray open <url>\n');
    return;
  }
  const lines = rows.map((row) =>
    [row.name.padEnd(16), row.phase.padEnd(14), String(row.pid ?? '-').padEnd(8), row.url ?? '']
      .join(' ')
      .trimEnd(),
  );
  process.stdout.write(
    `${['SESSION'.padEnd(16), 'PHASE'.padEnd(14), 'PID'.padEnd(8), 'URL'].join(' ')}\n${lines.join('\n')}\n`,
  );
}

interface SessionRow {
  name: string;
  phase: string;
  pid: number | null;
  url: string | null;
  title: string | null;
}

async function describeSession(home: string, name: string): Promise<SessionRow> {
  const paths = sessionPaths(home, name);
  const state = readStateFile(paths.state);
  const row: SessionRow = {
    name,
    phase: state.ok ? state.state.phase : `unreadable (${state.problem})`,
    pid: state.ok ? state.state.pid : null,
    url: null,
    title: null,
  };
  if (!state.ok || isTerminalPhase(state.state.phase)) return row;

  if (!processAlive(state.state.pid)) return { ...row, phase: 'gone', pid: null };
  const live = await pingSession(paths);
  if (!live) return { ...row, phase: `${row.phase}?` };
  const status = await sendRequest(paths.socket, live.token, 'status', {}, { timeoutMs: 2000 });
  if (!status.success) return row;
  const data = status.data as StatusData;
  return { ...row, phase: data.phase, url: data.url, title: data.title };
}

function report(globals: GlobalOptions, text: string, data: Record<string, unknown>): void {
  process.stdout.write(globals.json ? `${JSON.stringify({ success: true, data })}\n` : `${text}\n`);
}
