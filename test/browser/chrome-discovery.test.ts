import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  discoverChrome,
  discoveryOptionsFromEnv,
  parseActivePortFile,
} from '../../electron/browser/chrome-discovery';
import { isTrayError } from '../../shared/errors';
import { makeTempHome } from '../helpers/temp-home';

const servers: Array<Server | HttpServer> = [];
const homes: Array<{ remove(): void }> = [];

function folder(name: string, activePort?: string): string {
  const temp = makeTempHome('btray-discovery-');
  homes.push(temp);
  const dir = join(temp.home, name);
  mkdirSync(dir);
  if (activePort !== undefined) writeFileSync(join(dir, 'DevToolsActivePort'), activePort);
  return dir;
}

async function listen(server: Server | HttpServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Answers /json/version like a browser whose HTTP endpoints are on. */
function fakeBrowser(wsUrl: string): HttpServer {
  return createHttpServer((request, response) => {
    response.writeHead(request.url === '/json/version' ? 200 : 404, {
      'content-type': 'application/json',
    });
    response.end(JSON.stringify({ Browser: 'Chrome/999', webSocketDebuggerUrl: wsUrl }));
  });
}

/** A port that accepts connections but serves no HTTP: Chrome's in-browser switch. */
function socketOnly(): Server {
  return createServer((socket) => socket.destroy());
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  for (const home of homes.splice(0)) home.remove();
});

describe('parseActivePortFile', () => {
  it('reads the port and the browser path, and refuses nonsense', () => {
    expect(parseActivePortFile('9222\n/devtools/browser/abc\n')).toEqual({
      port: 9222,
      path: '/devtools/browser/abc',
    });
    expect(parseActivePortFile('9222')).toEqual({ port: 9222, path: null });
    expect(parseActivePortFile('hello\n')).toBeNull();
    expect(parseActivePortFile('70000\n')).toBeNull();
  });
});

describe('discoveryOptionsFromEnv', () => {
  it('uses the variables when set, the usual folders and port 9222 otherwise', () => {
    expect(
      discoveryOptionsFromEnv({
        BROWSER_TRAY_CHROME_PROFILES: '/a:/b',
        BROWSER_TRAY_CHROME_PORTS: '',
      }),
    ).toEqual({ roots: ['/a', '/b'], fallbackPorts: [] });
    const defaults = discoveryOptionsFromEnv({ XDG_CONFIG_HOME: '/cfg' });
    expect(defaults.fallbackPorts).toEqual([9222]);
    if (process.platform === 'linux') {
      expect(defaults.roots).toContain('/cfg/google-chrome');
      expect(defaults.roots).toContain('/cfg/chromium');
    }
  });
});

describe('discoverChrome', () => {
  it('takes the WebSocket a DevToolsActivePort browser announces on /json/version', async () => {
    const port = await listen(fakeBrowser('ws://127.0.0.1:1/devtools/browser/from-http'));
    const root = folder('chrome', `${port}\n/devtools/browser/from-file\n`);
    const found = await discoverChrome({ roots: [root], fallbackPorts: [] });
    expect(found).toEqual({
      wsEndpoint: 'ws://127.0.0.1:1/devtools/browser/from-http',
      port,
      source: join(root, 'DevToolsActivePort'),
    });
  });

  it('builds the WebSocket from the file when the port serves no HTTP', async () => {
    const port = await listen(socketOnly());
    const root = folder('chrome', `${port}\n/devtools/browser/from-file\n`);
    const found = await discoverChrome({ roots: [root], fallbackPorts: [] });
    expect(found.wsEndpoint).toBe(`ws://127.0.0.1:${port}/devtools/browser/from-file`);
  });

  it('skips a stale file and folders without one, then tries the fallback ports', async () => {
    const stale = folder('stale', `${await closedPort()}\n/devtools/browser/old\n`);
    const bare = folder('bare');
    const port = await listen(fakeBrowser('ws://127.0.0.1:2/devtools/browser/fallback'));
    const found = await discoverChrome({ roots: [stale, bare], fallbackPorts: [port] });
    expect(found).toMatchObject({ port, source: null });
  });

  it('finding nothing names every place it looked and how to turn debugging on', async () => {
    const stalePort = await closedPort();
    const stale = folder('stale', `${stalePort}\n/devtools/browser/old\n`);
    const fallback = await closedPort();
    const error = await discoverChrome({ roots: [stale], fallbackPorts: [fallback] }).catch(
      (caught: unknown) => caught,
    );
    expect(isTrayError(error, 'CHROME_NOT_FOUND')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(join(stale, 'DevToolsActivePort'));
    expect(message).toContain(`port ${stalePort} does not answer: a stale file`);
    expect(message).toContain(`127.0.0.1:${fallback}`);
    expect(message).toContain('chrome://inspect/#remote-debugging');
  });
});
