import { join } from 'node:path';
import { windowsPort } from './paths';

/** The tray host's control files in the home folder. */
export interface HostControlPaths {
  /** A Unix socket path, or `tcp://127.0.0.1:PORT` on Windows. */
  socket: string;
  token: string;
  /** Held exclusively while a tray host binds its control socket. */
  claim: string;
  /** The tray host's own log (each hosted session still logs to its own file). */
  log: string;
}

/**
 * Dotfiles: a session name cannot contain '.', so these can never collide with a
 * session's files.
 */
export function hostControlPaths(home: string): HostControlPaths {
  const base = join(home, '.host');
  const socket =
    process.platform === 'win32' ? `tcp://127.0.0.1:${windowsPort('.host')}` : `${base}.sock`;
  return { socket, token: `${base}.token`, claim: `${base}.claim`, log: `${base}.log` };
}
