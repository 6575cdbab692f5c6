import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TrayError } from '../../shared/errors';

/** Where to look for a debuggable Chrome, and which ports to try after that. */
export interface DiscoveryOptions {
  /** User-data folders that may hold a `DevToolsActivePort` file. */
  roots: string[];
  /** Ports tried on 127.0.0.1 when no folder names one. */
  fallbackPorts: number[];
  probeTimeoutMs?: number;
}

/** A Chrome that answers: its browser WebSocket and how it was found. */
export interface DiscoveredChrome {
  wsEndpoint: string;
  port: number;
  /** The `DevToolsActivePort` file, or null when found on a fallback port. */
  source: string | null;
}

const DEFAULT_PORT = 9222;

/** The user-data folders of Chrome, its channels, Chromium, Edge and Brave on this OS. */
export function defaultProfileRoots(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const home = homedir();
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support');
    return [
      'Google/Chrome',
      'Google/Chrome Beta',
      'Google/Chrome Canary',
      'Chromium',
      'Microsoft Edge',
      'BraveSoftware/Brave-Browser',
    ].map((name) => join(support, name));
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return [
      'Google\\Chrome\\User Data',
      'Google\\Chrome Beta\\User Data',
      'Google\\Chrome SxS\\User Data',
      'Chromium\\User Data',
      'Microsoft\\Edge\\User Data',
      'BraveSoftware\\Brave-Browser\\User Data',
    ].map((name) => join(local, name));
  }
  const config = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [
    'google-chrome',
    'google-chrome-beta',
    'google-chrome-unstable',
    'chromium',
    'microsoft-edge',
    'BraveSoftware/Brave-Browser',
  ].map((name) => join(config, name));
}

/**
 * The search as configured: `BROWSER_TRAY_CHROME_PROFILES` (a path list) replaces the
 * usual folders, and `BROWSER_TRAY_CHROME_PORTS` (comma-separated, may be empty) the
 * fallback port 9222. Both exist so tests and unusual setups can point elsewhere.
 */
export function discoveryOptionsFromEnv(env: NodeJS.ProcessEnv): DiscoveryOptions {
  const roots = env.BROWSER_TRAY_CHROME_PROFILES;
  const ports = env.BROWSER_TRAY_CHROME_PORTS;
  return {
    roots:
      roots === undefined
        ? defaultProfileRoots(env)
        : roots.split(delimiter).filter((root) => root.length > 0),
    fallbackPorts:
      ports === undefined
        ? [DEFAULT_PORT]
        : ports
            .split(',')
            .map((port) => Number(port.trim()))
            .filter((port) => Number.isInteger(port) && port > 0 && port < 65536),
  };
}

/** `DevToolsActivePort`: the port on line 1, the browser's WebSocket path on line 2. */
export function parseActivePortFile(text: string): { port: number; path: string | null } | null {
  const [first, second] = text.split(/\r?\n/);
  const port = Number(first?.trim());
  if (!Number.isInteger(port) || port <= 0 || port >= 65536) return null;
  const path = second?.trim();
  return { port, path: path?.startsWith('/devtools/browser/') ? path : null };
}

/**
 * Finds a running Chrome or Chromium with remote debugging on: first through the
 * `DevToolsActivePort` file it writes in its user-data folder, then on the fallback
 * ports. Throws `CHROME_NOT_FOUND`, saying how to turn remote debugging on, when none
 * answers.
 */
export async function discoverChrome(options: DiscoveryOptions): Promise<DiscoveredChrome> {
  const timeoutMs = options.probeTimeoutMs ?? 1500;
  const tried: string[] = [];

  for (const root of options.roots) {
    const file = join(root, 'DevToolsActivePort');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const active = parseActivePortFile(text);
    if (!active) {
      tried.push(`${file} (unreadable contents)`);
      continue;
    }
    const wsEndpoint = await probePort(active.port, active.path, timeoutMs);
    if (wsEndpoint) return { wsEndpoint, port: active.port, source: file };
    // Chrome leaves the file behind when it crashes or quits without cleaning up.
    tried.push(`${file} (port ${active.port} does not answer: a stale file)`);
  }

  for (const port of options.fallbackPorts) {
    const wsEndpoint = await probePort(port, null, timeoutMs);
    if (wsEndpoint) return { wsEndpoint, port, source: null };
    tried.push(`127.0.0.1:${port}`);
  }

  throw new TrayError('CHROME_NOT_FOUND', noChromeMessage(options, tried));
}

function noChromeMessage(options: DiscoveryOptions, tried: string[]): string {
  const looked = [
    ...options.roots.map((root) => join(root, 'DevToolsActivePort')),
    ...options.fallbackPorts.map((port) => `127.0.0.1:${port}`),
  ];
  return [
    'No running Chrome or Chromium with remote debugging was found.',
    `Looked at: ${looked.join(', ') || 'nothing (no folders or ports configured)'}.`,
    ...(tried.length > 0 ? [`Found but unusable: ${tried.join('; ')}.`] : []),
    'To allow it: in Chrome 144 or newer open chrome://inspect/#remote-debugging and turn',
    'remote debugging on; or start Chrome with --remote-debugging-port=9222 and a separate',
    '--user-data-dir (Chrome 136+ refuses remote debugging on its default profile folder).',
    'Then run `btray connect` again, or attach directly with',
    '`btray --cdp-url http://127.0.0.1:9222 connect`.',
  ].join('\n');
}

/**
 * The browser WebSocket on `port`: from `/json/version` when the HTTP endpoints answer,
 * else built from the file's path when the port is at least open (Chrome's in-browser
 * remote-debugging switch serves only the WebSocket).
 */
async function probePort(
  port: number,
  path: string | null,
  timeoutMs: number,
): Promise<string | null> {
  const announced = await versionEndpoint(port, timeoutMs);
  if (announced) return announced;
  if (!path) return null;
  return (await portOpen(port, timeoutMs)) ? `ws://127.0.0.1:${port}${path}` : null;
}

async function versionEndpoint(port: number, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/json/version`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { webSocketDebuggerUrl?: unknown };
    return typeof body.webSocketDebuggerUrl === 'string' ? body.webSocketDebuggerUrl : null;
  } catch {
    // A closed port, or a browser that serves no HTTP endpoints: the caller tries the socket.
    return null;
  }
}

function portOpen(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
