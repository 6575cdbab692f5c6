import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentTypeOf } from './content-types';
import { DASHBOARD_CSP } from './dashboard-server';

/**
 * The dashboard window loads the built renderer from `btray://dashboard/`, a scheme of
 * our own rather than `file://`: the page gets an origin of its own (no reach into the
 * file system), and every response carries the same strict CSP as `btray dashboard`.
 */
export const RENDERER_SCHEME = 'btray';
export const RENDERER_HOST = 'dashboard';
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Answers one request of the dashboard window from the built renderer in `staticDir`. */
export async function serveRendererRequest(request: Request, staticDir: string): Promise<Response> {
  if (request.method !== 'GET') return plain(405, 'Only GET is served');

  const file = rendererFile(request.url, staticDir);
  if (file === undefined) return plain(404, 'Not found');

  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EISDIR' ? plain(404, 'Not found') : plain(500, 'Error');
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(file),
    },
  });
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The file a URL names inside `staticDir`, or undefined for anything outside it. */
function rendererFile(rawUrl: string, staticDir: string): string | undefined {
  let url: URL;
  let path: string;
  try {
    url = new URL(rawUrl);
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return undefined;

  const root = resolve(staticDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  return file.startsWith(root + sep) ? file : undefined;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
