import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/** The pages every scenario loads, from a loopback server inside the bench process. */
export interface PageServer {
  /** The form fixture of the tests (`test/fixtures/form.html`). */
  formUrl: string;
  /** A generated page with {@link BIG_PAGE_ELEMENTS} buttons. */
  bigUrl: string;
  /** The recorder tests' animated 1280x720 canvas. */
  animatedUrl: string;
  close(): Promise<void>;
}

export const BIG_PAGE_ELEMENTS = 5000;

/** Serves `test/fixtures` and the generated big page on a free loopback port. */
export async function startPageServer(fixtures: string): Promise<PageServer> {
  const big = bigPage(BIG_PAGE_ELEMENTS);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://bench').pathname;
    if (path === '/big.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(big);
      return;
    }
    const file = join(fixtures, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(body);
      },
      () => {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    formUrl: `${origin}/form.html`,
    bigUrl: `${origin}/big.html`,
    animatedUrl: `${origin}/recording-animated.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A grid of `count` labelled buttons: every one visible and interactive. */
function bigPage(count: number): string {
  const buttons: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    buttons.push(`<button type="button" name="b${i}">Button ${i}</button>`);
  }
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${count} buttons</title>`,
    '<style>body{font:12px sans-serif;margin:8px}button{width:120px;margin:2px}</style>',
    '</head><body>',
    `<h1>${count} buttons</h1>`,
    ...buttons,
    '</body></html>',
  ].join('\n');
}
