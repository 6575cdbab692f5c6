import { errorMessage, TrayError } from '../../shared/errors';

/**
 * Turns a user's `--cdp-url` into the browser's WebSocket endpoint: a ws:// URL is used
 * as is; an http:// one is asked for `/json/version`.
 */
export async function resolveCdpEndpoint(cdpUrl: string, timeoutMs = 5000): Promise<string> {
  let url: URL;
  try {
    url = new URL(cdpUrl);
  } catch {
    throw new TrayError(
      'BAD_REQUEST',
      `--cdp-url ${JSON.stringify(cdpUrl)} is not a URL (try http://127.0.0.1:9222)`,
    );
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return cdpUrl;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TrayError(
      'BAD_REQUEST',
      `--cdp-url must start with http://, https://, ws:// or wss://, not ${url.protocol}`,
    );
  }

  const versionUrl = new URL('/json/version', url);
  let body: { webSocketDebuggerUrl?: string };
  try {
    const response = await fetch(versionUrl, { signal: AbortSignal.timeout(timeoutMs) });
    body = (await response.json()) as { webSocketDebuggerUrl?: string };
  } catch (error) {
    throw new TrayError(
      'BROWSER_START_FAILED',
      `No browser answers at ${versionUrl.href}: ${errorMessage(error)}. Is it running with --remote-debugging-port?`,
    );
  }
  if (!body.webSocketDebuggerUrl) {
    throw new TrayError(
      'BROWSER_START_FAILED',
      `${versionUrl.href} did not name a webSocketDebuggerUrl`,
    );
  }
  return body.webSocketDebuggerUrl;
}
