import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import type { ActionResult, DashboardBridge } from '../../shared/bridge';
import type { DashboardSnapshot } from '../../shared/snapshot';
import { tokensMatch } from '../daemon/auth-token';
import type { Logger } from '../daemon/logger';
import { PATH_REFUSED } from './bridge-ipc';
import { contentTypeOf } from './content-types';
import { type ApiRoute, checkedSessionName, resolveApiRoute } from './dashboard-routes';
import { booleanField, HttpRefusal, readJsonBody, stringField } from './http-request-body';

export interface DashboardServerOptions {
  /** The actions and snapshots the dashboard works with (see `createMonitorBridge`). */
  bridge: DashboardBridge;
  /** The built renderer (Vite's output). */
  staticDir: string;
  log: Logger;
  /** 0 or absent: a free port. */
  port?: number;
  /** Generated when absent; tests pass their own. */
  secret?: string;
  /** How many `/api/events` streams may be open at once; more are refused with 429. */
  maxEventStreams?: number;
}

/** The strictest policy the built renderer runs under: no inline code, nothing foreign. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TICKET_LIFETIME_MS = 60_000;
const SSE_KEEPALIVE_MS = 15_000;
/** Plenty for a few tabs and scripts; far below any file-descriptor limit. */
const MAX_EVENT_STREAMS = 16;

/**
 * Serves the dashboard on 127.0.0.1 to whoever holds the secret printed at start-up.
 *
 * The page is opened as `/?secret=S`; that first load trades the secret for an HttpOnly,
 * SameSite=Strict cookie and redirects to `/`, so the secret leaves the address bar.
 * Scripts may send `Authorization: Bearer S` instead. Every request must name our own
 * host (a rebound DNS name is refused), and fetch metadata or `Origin` must say it comes
 * from our own page, since SameSite treats every port of 127.0.0.1 as the same site.
 * No CORS header is ever sent, so no other page can read an answer.
 *
 * Limitation: cookies are not isolated by port, so a browser also sends the cookie to
 * other servers on 127.0.0.1; it is only worth anything to us while this server runs.
 */
export class DashboardServer {
  readonly secret: string;
  private readonly cookieValue = randomBytes(32).toString('hex');
  private readonly streams = new Set<ServerResponse>();
  /** One-use secrets for URLs handed to another program, with their expiry (epoch ms). */
  private readonly tickets = new Map<string, number>();
  private server: Server | undefined;
  private port = 0;
  private latest: DashboardSnapshot | undefined;
  private unsubscribe: (() => void) | undefined;
  private keepalive: NodeJS.Timeout | undefined;

  constructor(private readonly options: DashboardServerOptions) {
    this.secret = options.secret ?? randomBytes(32).toString('hex');
  }

  /** Listens on 127.0.0.1; resolves with the URL to open (secret included). */
  async listen(): Promise<string> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.log.error({ err: error }, 'DashboardServer#handle - request failed');
        if (!response.headersSent) this.send(response, 500, 'internal error');
        else response.destroy();
      });
    });
    this.server = server;

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.options.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;

    this.unsubscribe = this.options.bridge.subscribe((snapshot) => this.broadcast(snapshot));
    this.keepalive = setInterval(() => this.writeAll(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/?secret=${this.secret}`;
  }

  /**
   * A URL that opens the dashboard once, within a minute. Meant for handing to a browser
   * launcher, whose command line other users of the machine can read while it runs.
   */
  ticketUrl(): string {
    const ticket = randomBytes(32).toString('hex');
    this.tickets.set(ticket, Date.now() + TICKET_LIFETIME_MS);
    return `http://127.0.0.1:${this.port}/?ticket=${ticket}`;
  }

  /** Ends every event stream and connection; resolves once the port is free. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.keepalive) clearInterval(this.keepalive);
    for (const stream of this.streams) stream.end();
    this.streams.clear();

    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.setSecurityHeaders(response);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');

    try {
      this.checkHost(request);
      if (this.isSecretExchange(request, url)) return this.exchangeSecret(response, url);
      this.checkAuthenticated(request);
      this.checkFetchSite(request, url);
      await this.route(request, response, url);
    } catch (error) {
      if (!(error instanceof HttpRefusal)) throw error;
      this.options.log.debug(
        { method: request.method, path: url.pathname, status: error.status },
        `DashboardServer#handle - refused: ${error.message}`,
      );
      this.send(response, error.status, error.message);
    }
  }

  private setSecurityHeaders(response: ServerResponse): void {
    response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  }

  /** DNS rebinding: a foreign name resolving to 127.0.0.1 still carries its own Host. */
  private checkHost(request: IncomingMessage): void {
    const host = request.headers.host;
    if (host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`) return;
    throw new HttpRefusal(403, 'foreign Host header');
  }

  private isSecretExchange(request: IncomingMessage, url: URL): boolean {
    const { searchParams } = url;
    const carriesSecret = searchParams.has('secret') || searchParams.has('ticket');
    return request.method === 'GET' && url.pathname === '/' && carriesSecret;
  }

  private exchangeSecret(response: ServerResponse, url: URL): void {
    const valid =
      tokensMatch(url.searchParams.get('secret'), this.secret) ||
      this.redeemTicket(url.searchParams.get('ticket'));
    if (!valid) throw new HttpRefusal(401, 'wrong secret: open the URL `btray dashboard` printed');

    const cookie = `${this.cookieName}=${this.cookieValue}; HttpOnly; SameSite=Strict; Path=/`;
    response.setHeader('Set-Cookie', cookie);
    response.setHeader('Cache-Control', 'no-store');
    response.writeHead(303, { Location: '/' });
    response.end();
  }

  private redeemTicket(ticket: string | null): boolean {
    const expiresAt = ticket === null ? undefined : this.tickets.get(ticket);
    if (ticket === null || expiresAt === undefined) return false;

    this.tickets.delete(ticket);
    return Date.now() < expiresAt;
  }

  /** Cookies ignore ports: the port in the name keeps two dashboards apart. */
  private get cookieName(): string {
    return `btray_dashboard_${this.port}`;
  }

  private checkAuthenticated(request: IncomingMessage): void {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && tokensMatch(bearer, this.secret)) return;

    const cookie = readCookie(request.headers.cookie, this.cookieName);
    if (cookie !== undefined && tokensMatch(cookie, this.cookieValue)) return;
    throw new HttpRefusal(401, 'no secret: open the URL `btray dashboard` printed');
  }

  /**
   * Only our own page may call the API. Browsers say where a request comes from
   * (`Sec-Fetch-Site`, and `Origin` on every POST); clients without them are not
   * browsers and cannot be tricked into sending our cookie.
   */
  private checkFetchSite(request: IncomingMessage, url: URL): void {
    const site = request.headers['sec-fetch-site'];
    const isApi = url.pathname.startsWith('/api/');
    const allowed = isApi ? ['same-origin'] : ['same-origin', 'none'];
    if (site !== undefined && !allowed.includes(String(site))) {
      throw new HttpRefusal(403, `cross-origin request refused (${String(site)})`);
    }

    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (origin !== `http://127.0.0.1:${this.port}` && origin !== `http://localhost:${this.port}`) {
      throw new HttpRefusal(403, 'cross-origin request refused');
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse, url: URL) {
    const method = request.method ?? 'GET';
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      const route = resolveApiRoute(method, path);
      if (route.endpoint === 'events') return this.openStream(request, response);
      if (route.endpoint === 'snapshot') return this.sendJson(response, 200, this.latest);
      return this.sendJson(response, 200, await this.runAction(request, route));
    }
    if (method !== 'GET') throw new HttpRefusal(405, 'method not allowed');
    return this.serveFile(response, path);
  }

  /** The bridge actions, one POST route each; answers the bridge's own `{ok, error}`. */
  private async runAction(
    request: IncomingMessage,
    route: Exclude<ApiRoute, { endpoint: 'events' | 'snapshot' }>,
  ): Promise<ActionResult> {
    const body = await readJsonBody(request);
    const { bridge } = this.options;
    if (route.endpoint === 'new-session') {
      return bridge.newSession(checkedSessionName(stringField(body, 'name')));
    }

    const { name } = route;
    switch (route.action) {
      case 'stop':
        return bridge.stopSession(name);
      case 'recording/start':
        if (body.path !== undefined) throw new HttpRefusal(400, PATH_REFUSED);
        return bridge.startRecording(name);
      case 'recording/stop':
        return bridge.stopRecording(name);
      case 'keep-open':
        return bridge.setKeepOpen(name, booleanField(body, 'on'));
    }
  }

  /**
   * Server-sent events: the latest snapshot at once, then every new one. Each stream
   * holds a socket for as long as the client likes, so their number is capped: a holder
   * of the secret cannot use up the process's file descriptors.
   */
  private openStream(request: IncomingMessage, response: ServerResponse): void {
    const limit = this.options.maxEventStreams ?? MAX_EVENT_STREAMS;
    if (this.streams.size >= limit) {
      throw new HttpRefusal(429, `too many open event streams (at most ${limit})`);
    }

    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    if (this.latest) response.write(snapshotEvent(this.latest));

    this.streams.add(response);
    request.on('close', () => this.streams.delete(response));
  }

  private broadcast(snapshot: DashboardSnapshot): void {
    this.latest = snapshot;
    this.writeAll(snapshotEvent(snapshot));
  }

  private writeAll(text: string): void {
    for (const stream of this.streams) stream.write(text);
  }

  private async serveFile(response: ServerResponse, path: string): Promise<void> {
    const root = resolve(this.options.staticDir);
    const relative = path === '/' ? 'index.html' : decodePath(path);
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) throw new HttpRefusal(404, 'not found');

    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      this.options.log.debug({ err: error, path }, 'DashboardServer#serveFile - not served');
      throw new HttpRefusal(404, 'not found');
    }

    const type = contentTypeOf(file);
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
    response.end(content);
  }

  private sendJson(response: ServerResponse, status: number, value: unknown): void {
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    response.end(JSON.stringify(value ?? null));
  }

  private send(response: ServerResponse, status: number, message: string): void {
    response.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    response.end(`${message}\n`);
  }
}

function snapshotEvent(snapshot: DashboardSnapshot): string {
  return `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpRefusal(400, 'malformed path');
  }
}
