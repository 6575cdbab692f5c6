import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
};

/**
 * A static server for `test/fixtures` on a free loopback port. `?delay=MS` on any file
 * holds its answer back that long, for a page that is slow to arrive; `?stall=MS` sends
 * an HTML page up to its `<title>` at once and the rest MS later, for a page that has
 * arrived but is not parsed yet.
 */
export interface FixtureServer {
  /** The URL of a fixture file, e.g. `url('form.html')`. */
  url(path: string): string;
  origin: string;
  /** Every request's path and query, in the order they arrived (before any delay). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    requests.push(request.url ?? '/');
    const address = new URL(request.url ?? '/', 'http://x');
    const path = normalize(decodeURIComponent(address.pathname)).replace(/^(\.\.[/\\])+/, '');
    const delayMs = Number(address.searchParams.get('delay') ?? 0);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const stallMs = Number(address.searchParams.get('stall') ?? 0);
    try {
      const body = await readFile(join(FIXTURES, path));
      response.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      });
      const cut = body.indexOf('<title>');
      if (stallMs > 0 && cut > 0) {
        response.write(body.subarray(0, cut));
        await new Promise((resolve) => setTimeout(resolve, stallMs));
      }
      response.end(cut > 0 && stallMs > 0 ? body.subarray(cut) : body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    url: (path) => `${origin}/${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
