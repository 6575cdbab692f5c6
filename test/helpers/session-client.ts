import { readTokenFile } from '../../electron/daemon/auth-token';
import { sessionPaths } from '../../electron/daemon/paths';
import { sendRequest } from '../../electron/daemon/socket-client';
import type { Response } from '../../shared/protocol';

/** Sends one request to a session in `home`, authenticated with its token file. */
export function request(
  home: string,
  session: string,
  action: string,
  params: Record<string, unknown> = {},
): Promise<Response> {
  const paths = sessionPaths(home, session);
  return sendRequest(paths.socket, readTokenFile(paths.token), action, params);
}

/** Like {@link request}, but throws unless the answer is a success; returns its data. */
export async function requestData<T = Record<string, unknown>>(
  home: string,
  session: string,
  action: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  const response = await request(home, session, action, params);
  if (!response.success) throw new Error(`${action} failed: ${response.code} ${response.error}`);
  return response.data as T;
}
