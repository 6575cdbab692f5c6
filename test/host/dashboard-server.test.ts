import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type ClientRequest, type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/daemon/logger';
import { PATH_REFUSED } from '../../electron/host/bridge-ipc';
import { DASHBOARD_CSP, DashboardServer } from '../../electron/host/dashboard-server';
import { createMonitorBridge } from '../../electron/host/monitor-bridge';
import { SessionMonitor } from '../../electron/host/session-monitor';
import type { DashboardSnapshot } from '../../shared/snapshot';
import { FakeSession } from './fake-session';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let home: string;
let monitor: SessionMonitor;
let server: DashboardServer;
let port: number;
let cookie: string;
const fakes: FakeSession[] = [];
const newSessions: string[] = [];

/** A raw HTTP call, so that tests can send any Host, Origin or fetch metadata. */
function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** What our own page sends with a POST. */
function ownPagePost(path: string, body: unknown): Promise<Answer> {
  return call(
    'POST',
    path,
    {
      Cookie: cookie,
      Origin: `http://127.0.0.1:${port}`,
      'Sec-Fetch-Site': 'same-origin',
      'Content-Type': 'application/json',
    },
    JSON.stringify(body),
  );
}

/** Reads server-sent events until one snapshot satisfies `test`. */
function streamUntil(
  headers: Record<string, string>,
  test: (snapshot: DashboardSnapshot) => boolean,
): Promise<{ status: number; contentType: string | undefined; snapshot: DashboardSnapshot }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/events',
        headers: { Host: `127.0.0.1:${port}`, ...headers },
      },
      (incoming) => {
        let buffer = '';
        incoming.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          const events = buffer.split('\n\n');
          buffer = events.pop() ?? '';
          for (const event of events) {
            const data = /^data: (.*)$/m.exec(event)?.[1];
            if (!/^event: snapshot$/m.test(event) || data === undefined) continue;
            const snapshot = JSON.parse(data) as DashboardSnapshot;
            if (!test(snapshot)) continue;
            outgoing.destroy();
            resolve({
              status: incoming.statusCode ?? 0,
              contentType: incoming.headers['content-type'],
              snapshot,
            });
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'btray-dashboard-server-'));
  const staticDir = join(home, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Browser Tray</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("dashboard");');
  writeFileSync(join(home, 'outside.txt'), 'not for the web');

  fakes.push(await FakeSession.start(home, 'work', { title: 'Work' }));
  monitor = new SessionMonitor({ home, log: silentLogger(), pollIntervalMs: 200 });
  const newSession = async (name: string) => {
    newSessions.push(name);
  };
  const bridge = createMonitorBridge({ home, monitor, newSession, log: silentLogger() });
  server = new DashboardServer({ bridge, staticDir: `${staticDir}/`, log: silentLogger() });
  monitor.start();
  const url = new URL(await server.listen());
  port = Number(url.port);

  const exchange = await call('GET', `/?secret=${server.secret}`);
  cookie = (exchange.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
});

afterAll(async () => {
  await server.close();
  monitor.stop();
  for (const fake of fakes) fake.crash();
  rmSync(home, { recursive: true, force: true });
});

describe('DashboardServer', () => {
  it('prints a loopback URL that carries the secret', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?secret=${server.secret}`);
    expect(server.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses every request without the secret with 401', async () => {
    for (const path of ['/', '/assets/app.js', '/api/snapshot', '/api/events']) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(401);
      expect(answer.body).not.toContain('Browser Tray');
    }
    const wrong = await call('GET', `/?secret=${'0'.repeat(64)}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const forged = await call('GET', '/', { Cookie: `btray_dashboard_${port}=${server.secret}` });
    expect(forged.status).toBe(401);
  });

  it('trades the secret for an HttpOnly SameSite=Strict cookie, then redirects to /', async () => {
    const answer = await call('GET', `/?secret=${server.secret}`);

    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    const setCookie = answer.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^btray_dashboard_${port}=[0-9a-f]{64}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(server.secret);

    const page = await call('GET', '/', { Cookie: cookie, 'Sec-Fetch-Site': 'none' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Browser Tray</title>');
  });

  it('accepts the secret as a bearer token from scripts', async () => {
    const answer = await call('GET', '/api/snapshot', { Authorization: `Bearer ${server.secret}` });

    expect(answer.status).toBe(200);
    const snapshot = JSON.parse(answer.body) as DashboardSnapshot;
    expect(snapshot.sessions.map((session) => session.name)).toEqual(['work']);
  });

  it('opens once with a ticket URL, never twice', async () => {
    const ticket = new URL(server.ticketUrl());
    const path = `/?ticket=${ticket.searchParams.get('ticket')}`;

    expect((await call('GET', path)).status).toBe(303);
    expect((await call('GET', path)).status).toBe(401);
  });

  it('refuses a foreign Host header even with a valid cookie (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1:1', 'localhost']) {
      const answer = await call('GET', '/api/snapshot', { Host: host, Cookie: cookie });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toBe('foreign Host header\n');
    }
    const local = await call('GET', '/api/snapshot', { Host: `localhost:${port}`, Cookie: cookie });
    expect(local.status).toBe(200);
  });

  it('refuses cross-origin POSTs and runs nothing', async () => {
    const fake = fakes[0] as FakeSession;
    const before = fake.actions().filter((action) => action === 'shutdown').length;
    const attempts: Record<string, string>[] = [
      { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'http://127.0.0.1:9', 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'http://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
    ];

    for (const headers of attempts) {
      const answer = await call(
        'POST',
        '/api/sessions/work/stop',
        { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
        '{}',
      );
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const form = await call(
      'POST',
      '/api/sessions/work/stop',
      { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      'a=b',
    );
    expect(form.status).toBe(415);
    expect(fake.actions().filter((action) => action === 'shutdown').length).toBe(before);
  });

  it('takes only the application/json media type, with or without parameters', async () => {
    const post = (type: string) =>
      call(
        'POST',
        '/api/sessions/work/keep-open',
        {
          Cookie: cookie,
          Origin: `http://127.0.0.1:${port}`,
          'Sec-Fetch-Site': 'same-origin',
          'Content-Type': type,
        },
        JSON.stringify({ on: false }),
      );

    for (const type of ['application/jsonfoo', 'application/json-patch+json', 'text/json', '']) {
      const refused = await post(type);
      expect(refused.status, type).toBe(415);
    }
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const accepted = await post(type);
      expect(accepted.status, type).toBe(200);
    }
  });

  it('sends no CORS header and answers no preflight', async () => {
    const preflight = await call('OPTIONS', '/api/sessions/work/stop', {
      Cookie: cookie,
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': 'POST',
    });
    expect(preflight.status).toBe(403);

    const answers = [
      preflight,
      await call('GET', '/', { Cookie: cookie }),
      await call('GET', '/api/snapshot', { Cookie: cookie, Origin: `http://127.0.0.1:${port}` }),
      await call('GET', '/nowhere'),
    ];
    for (const answer of answers) {
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('sets a strict content security policy and nosniff on every answer', async () => {
    const answers = [
      await call('GET', '/', { Cookie: cookie }),
      await call('GET', '/assets/app.js', { Cookie: cookie }),
      await call('GET', '/'),
      await call('GET', '/', { Host: 'evil.example' }),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
    expect(DASHBOARD_CSP).toContain("default-src 'self'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
  });

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/%2e%2e/outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/%E0%A4%A']) {
      const answer = await call('GET', path, { Cookie: cookie });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body).not.toContain('not for the web');
    }
  });

  it('streams snapshots over server-sent events to a holder of the cookie', async () => {
    const stream = await streamUntil({ Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' }, (s) =>
      s.sessions.some((session) => session.name === 'work'),
    );

    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    expect(stream.snapshot.sessions[0]).toMatchObject({ name: 'work', title: 'Work' });
  });

  it('refuses the event stream to another site', async () => {
    const answer = await call('GET', '/api/events', {
      Cookie: cookie,
      'Sec-Fetch-Site': 'same-site',
    });
    expect(answer.status).toBe(403);
  });

  it('runs the bridge actions for our own page', async () => {
    const fake = fakes[0] as FakeSession;

    const keep = await ownPagePost('/api/sessions/work/keep-open', { on: true });
    expect(JSON.parse(keep.body)).toEqual({ ok: true });
    const record = await ownPagePost('/api/sessions/work/recording/start', {});
    expect(JSON.parse(record.body)).toEqual({ ok: true });
    const created = await ownPagePost('/api/sessions', { name: 'fresh' });
    expect(JSON.parse(created.body)).toEqual({ ok: true });

    expect(fake.requests.findLast((r) => r.action === 'keep_open')?.params).toEqual({ on: true });
    expect(fake.requests.find((r) => r.action === 'record')?.params).toEqual({
      record_command: 'start',
      path: expect.stringMatching(new RegExp(`^${home}/recordings/work-[\\d_-]+\\.mp4$`)),
    });
    expect(newSessions).toEqual(['fresh']);
  });

  it('takes no recording path from the page: nothing written, nothing overwritten', async () => {
    const fake = fakes[0] as FakeSession;
    const victim = join(home, 'victim.txt');
    writeFileSync(victim, 'precious');
    const records = () => fake.actions().filter((action) => action === 'record').length;
    const before = records();

    for (const path of [victim, '../../escaped.mp4', 'clip.mp4']) {
      const answer = await ownPagePost('/api/sessions/work/recording/start', { path });
      expect(answer.status, path).toBe(400);
      expect(answer.body).toBe(`${PATH_REFUSED}\n`);
    }

    expect(records()).toBe(before);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('answers a failed action with the session’s own error', async () => {
    const answer = await ownPagePost('/api/sessions/nobody/stop', {});

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      error: 'session nobody is not running (it has no token file)',
    });
  });

  it('refuses malformed action requests with the field at fault', async () => {
    const notBoolean = await ownPagePost('/api/sessions/work/keep-open', { on: 'yes' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body).toBe('on must be true or false\n');
  });

  it('answers 400 for a bad session name, in the path or the body', async () => {
    const attempts = [
      ['/api/sessions/..%2Fetc/stop', {}],
      ['/api/sessions/%E0%A4%A/stop', {}],
      ['/api/sessions/no%20spaces/recording/stop', {}],
      ['/api/sessions//stop', {}],
      ['/api/sessions', { name: 'no spaces' }],
      ['/api/sessions', { name: '' }],
    ] as const;

    for (const [path, body] of attempts) {
      const answer = await ownPagePost(path, body);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toMatch(/session name/);
    }
    expect(newSessions).not.toContain('no spaces');
  });

  it('answers 404 for a path that is no endpoint, 405 for the wrong method', async () => {
    const get = (path: string) =>
      call('GET', path, { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' });
    const notFound = [
      await ownPagePost('/api/', {}),
      await ownPagePost('/api/sessions/work/explode', {}),
      await ownPagePost('/api/sessions/work', {}),
      await ownPagePost('/api/sessions/', {}),
      await get('/api/nothing'),
    ];
    for (const answer of notFound) {
      expect(answer.status).toBe(404);
      expect(answer.body).toBe('no such endpoint\n');
    }

    const wrongMethod = [
      await ownPagePost('/api/snapshot', {}),
      await ownPagePost('/api/events', {}),
      await get('/api/sessions/work/stop'),
      await get('/api/sessions'),
    ];
    expect(wrongMethod.map((answer) => answer.status)).toEqual([405, 405, 405, 405]);
    expect((fakes[0] as FakeSession).actions()).not.toContain('shutdown');
  });

  it('refuses event streams beyond the cap with 429, and takes one again once another ends', async () => {
    const open: ClientRequest[] = [];
    const openStream = () =>
      new Promise<number>((resolve, reject) => {
        const outgoing = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/events',
            headers: { Host: `127.0.0.1:${port}`, Cookie: cookie },
          },
          (incoming) => {
            resolve(incoming.statusCode ?? 0);
            if (incoming.statusCode !== 200) incoming.resume();
          },
        );
        outgoing.on('error', (error) => {
          if (!outgoing.destroyed) reject(error);
        });
        outgoing.end();
        open.push(outgoing);
      });

    try {
      const statuses = await Promise.all(Array.from({ length: 16 }, () => openStream()));
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(await openStream()).toBe(429);

      open[0]?.destroy();
      await expect.poll(() => openStream(), { timeout: 3000 }).toBe(200);
    } finally {
      for (const outgoing of open) outgoing.destroy();
    }
  });

  it('stops a session from a POST and the stream shows it stopped', async () => {
    const stopped = streamUntil({ Cookie: cookie }, (snapshot) =>
      snapshot.sessions.some((session) => session.name === 'work' && session.phase === 'stopped'),
    );

    const answer = await ownPagePost('/api/sessions/work/stop', {});

    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect((await stopped).snapshot.sessions[0]?.phase).toBe('stopped');
    expect((fakes[0] as FakeSession).actions()).toContain('shutdown');
  });
});
