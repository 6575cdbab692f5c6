import type { ErrorCode } from '../../shared/errors';
import type { CreateSessionParams, HostPingData } from '../../shared/host-control';
import { hostControlPaths } from './host-control-paths';
import { ConnectionError, sendRequest } from './socket-client';
import { readTokenFile } from './token-file';

/** What the CLI wants hosted: the same options it would give a headless daemon. */
export interface TrayHostRequest {
  session: string;
  headed: boolean;
  profile: string | null;
  cdpUrl: string | null;
  idleTimeoutS: number | null;
}

/**
 * `created`: the tray hosts the session and its socket is ready. `no-host`: no tray host
 * answers, start a headless daemon. An error: a tray host answered but refused.
 */
export type TrayHostAnswer = 'created' | 'no-host' | { error: string; code: ErrorCode };

export interface AskTrayHostOptions {
  /** How long a host that accepts the connection may take to answer `ping`. */
  pingTimeoutMs?: number;
  /** How long creating the session may take (it resolves at phase `ready`). */
  createTimeoutMs?: number;
}

const DEFAULT_PING_TIMEOUT_MS = 1000;
const DEFAULT_CREATE_TIMEOUT_MS = 30_000;

/**
 * Asks a running tray host to host `request.session`. On every CLI cold path, so the
 * common case (no tray) costs one failed file read: no token file, no host.
 */
export async function askTrayHost(
  home: string,
  request: TrayHostRequest,
  options: AskTrayHostOptions = {},
): Promise<TrayHostAnswer> {
  const paths = hostControlPaths(home);
  const token = await answeringHostToken(paths.socket, paths.token, options);
  if (token === undefined) return 'no-host';

  const params: CreateSessionParams = {
    session: request.session,
    headed: request.headed,
    profile: request.profile,
    cdp_url: request.cdpUrl,
    idle_timeout_s: request.idleTimeoutS,
  };
  const timeoutMs = options.createTimeoutMs ?? DEFAULT_CREATE_TIMEOUT_MS;
  try {
    const response = await sendRequest(
      paths.socket,
      token,
      'create_session',
      { ...params },
      {
        timeoutMs,
      },
    );
    if (response.success) return 'created';
    return { error: response.error, code: response.code };
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    const code: ErrorCode = error.errno === 'ETIMEDOUT' ? 'TIMEOUT' : 'INTERNAL';
    return { error: `the tray host did not answer create_session: ${error.message}`, code };
  }
}

/**
 * The token of a tray host that answers an authenticated `ping`, or undefined. A token
 * read just as a new host replaced it is refused once; the second read gets the new one.
 */
async function answeringHostToken(
  socket: string,
  tokenFile: string,
  options: AskTrayHostOptions,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = readTokenIfAny(tokenFile);
    if (token === undefined) return undefined;

    const answer = await pingHost(socket, token, options.pingTimeoutMs);
    if (answer === 'live') return token;
    if (answer === 'absent') return undefined;
  }
  return undefined;
}

/**
 * A missing token file means no host: the host writes it before binding and removes it
 * when it closes. A token we cannot read is no host we could talk to either.
 */
function readTokenIfAny(tokenFile: string): string | undefined {
  try {
    return readTokenFile(tokenFile);
  } catch {
    return undefined;
  }
}

async function pingHost(
  socket: string,
  token: string,
  timeoutMs = DEFAULT_PING_TIMEOUT_MS,
): Promise<'live' | 'absent' | 'refused'> {
  try {
    const response = await sendRequest(socket, token, 'ping', {}, { timeoutMs });
    if (!response.success) return 'refused';
    return (response.data as Partial<HostPingData>).host === 'tray' ? 'live' : 'absent';
  } catch (error) {
    // A socket file left by a crashed host refuses the connection at once.
    if (error instanceof ConnectionError) return 'absent';
    throw error;
  }
}
