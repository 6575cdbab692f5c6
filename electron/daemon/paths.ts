import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { errorMessage, TrayError } from '../../shared/errors';
import { sessionNameProblem } from '../../shared/session-name';

/** Every file a session owns in the home folder. */
export interface SessionPaths {
  home: string;
  name: string;
  /** A Unix socket path, or `tcp://127.0.0.1:PORT` on Windows. */
  socket: string;
  token: string;
  pid: string;
  state: string;
  log: string;
  /** Held exclusively from start-up until the socket is bound. */
  claim: string;
}

/** `$BROWSER_TRAY_HOME`, else `~/.browser-tray`. Read once at start-up, then passed on. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.BROWSER_TRAY_HOME;
  return fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.browser-tray');
}

/** Creates the home folder owner-only, and tightens it if it exists with wider rights. */
export function ensureHome(home: string): void {
  try {
    makeFolder(home, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = (code && FOLDER_PROBLEMS[code]) ?? code ?? errorMessage(error);
    throw new TrayError(
      'FILE_ERROR',
      `Cannot use ${home} as the Browser Tray home folder (${reason}); ` +
        'set BROWSER_TRAY_HOME to a folder you can write',
    );
  }
  if (process.platform === 'win32') return;

  const mode = statSync(home).mode & 0o777;
  if (mode !== 0o700) chmodSync(home, 0o700);
}

/** What a failed mkdir means, in words. */
const FOLDER_PROBLEMS: Record<string, string> = {
  ENOENT: 'no folder can be made there',
  ENOTDIR: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

/** Deeper than any real path: a guard, not a limit anyone meets. */
const MAX_FOLDER_DEPTH = 64;

/**
 * `mkdir -p`, by hand: Node 20's recursive mkdirSync loops for ever (at full CPU) under
 * /proc and similar, where the parent exists but a child can never be made. Here the
 * second ENOENT, once the parent exists, is the answer. A file in the way is ENOTDIR.
 */
function makeFolder(path: string, depth: number): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error(path), { code: 'ENOTDIR' });
      return;
    }
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path || depth >= MAX_FOLDER_DEPTH) throw error;
    makeFolder(parent, depth + 1);
    mkdirSync(path, { mode: 0o700 });
  }
}

const STATE_SUFFIX = '.state.json';

/**
 * The sessions that have a state file in the home folder, sorted. A file whose name is not
 * a valid session name (put there by hand, or by something else) is not a session and is
 * passed over, so one stray file cannot break a listing. Empty when the folder is missing.
 */
export function listSessionNames(home: string): string[] {
  let files: string[];
  try {
    files = readdirSync(home);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files
    .filter((file) => file.endsWith(STATE_SUFFIX))
    .map((file) => file.slice(0, -STATE_SUFFIX.length))
    .filter((name) => sessionNameProblem(name) === undefined)
    .sort();
}

/** Windows has no Unix sockets here: a fixed loopback port derived from the name. */
export function windowsPort(name: string): number {
  return 49152 + (adler32(name) % 16383);
}

/** The paths of one session. Refuses a bad name before any path is made. */
export function sessionPaths(home: string, name: string): SessionPaths {
  const problem = sessionNameProblem(name);
  if (problem) throw new TrayError('BAD_REQUEST', problem);

  const base = join(home, name);
  const socket =
    process.platform === 'win32' ? `tcp://127.0.0.1:${windowsPort(name)}` : `${base}.sock`;
  refuseLongSocketPath(socket);
  return {
    home,
    name,
    socket,
    token: `${base}.token`,
    pid: `${base}.pid`,
    state: `${base}${STATE_SUFFIX}`,
    log: `${base}.log`,
    claim: `${base}.claim`,
  };
}

/** Unix socket paths are bounded (sun_path: 108 bytes on Linux, 104 on macOS, with a NUL). */
const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

/** Node would bind a silently truncated path: refuse before any file is made. */
function refuseLongSocketPath(socket: string): void {
  if (socket.startsWith('tcp://')) return;
  const bytes = Buffer.byteLength(socket);
  if (bytes <= MAX_SOCKET_PATH_BYTES) return;
  throw new TrayError(
    'BAD_REQUEST',
    `The socket path ${socket} is ${bytes} bytes, over the system's limit of ${MAX_SOCKET_PATH_BYTES}: ` +
      'use a shorter session name or a shorter BROWSER_TRAY_HOME',
  );
}

function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
