import { readFileSync, rmSync } from 'node:fs';
import { errorMessage, isTrayError, TrayError } from '../../shared/errors';
import type { CreateSessionParams, HostPingData } from '../../shared/host-control';
import { MAX_REQUEST_BYTES, REQUEST_READ_DEADLINE_MS, type Response } from '../../shared/protocol';
import { generateToken, writeTokenFile } from '../daemon/auth-token';
import { type HostControlPaths, hostControlPaths } from '../daemon/host-control-paths';
import type { Logger } from '../daemon/logger';
import { ensureHome } from '../daemon/paths';
import { parseRequestLine } from '../daemon/request-parser';
import { SessionClaim } from '../daemon/session-claim';
import { parseSocketAddress } from '../daemon/socket-address';
import { socketAnswers } from '../daemon/socket-probe';
import { type LineOutcome, RequestServer } from '../daemon/socket-server';
import type { HostedSessionOptions, SessionHost } from './session-host';

export interface HostControlServerOptions {
  home: string;
  host: SessionHost;
  log: Logger;
}

/**
 * The tray host's control socket, `<home>/.host.sock`: protected like a session socket
 * (owner-only socket, token file, one JSON line each way). The CLI asks it to host a
 * session; only one tray host per home folder can bind it.
 */
export class HostControlServer {
  readonly paths: HostControlPaths;
  private readonly server: RequestServer;
  private token = '';
  private listening = false;

  constructor(private readonly options: HostControlServerOptions) {
    this.paths = hostControlPaths(options.home);
    this.server = new RequestServer({
      maxRequestBytes: MAX_REQUEST_BYTES,
      readDeadlineMs: REQUEST_READ_DEADLINE_MS,
      handleLine: (line) => this.handleLine(line),
      log: options.log.child({ ns: 'host-control' }),
    });
  }

  /** Binds the control socket; refuses when another tray host answers on it. */
  async start(): Promise<void> {
    ensureHome(this.options.home);
    const claim = new SessionClaim(this.paths.claim);
    claim.acquire();
    try {
      if (await socketAnswers(this.paths.socket)) {
        throw new TrayError(
          'BAD_REQUEST',
          `Another tray host is already running for ${this.options.home}`,
        );
      }
      const address = parseSocketAddress(this.paths.socket);
      if (address.kind === 'unix') rmSync(address.path, { force: true });

      // The token exists before the socket answers, so a client never meets a host it
      // cannot authenticate with.
      this.token = generateToken();
      writeTokenFile(this.paths.token, this.token);
      await this.server.listen(this.paths.socket);
      this.listening = true;
    } catch (error) {
      this.removeOwnToken();
      throw error;
    } finally {
      claim.release();
    }
    this.options.log.info({ socket: this.paths.socket }, 'HostControlServer#start - listening');
  }

  /** Stops accepting requests and removes the token (Node removes the socket file). */
  close(): void {
    if (!this.listening) return;
    this.listening = false;
    this.server.close();
    this.removeOwnToken();
    this.options.log.info('HostControlServer#close - closed');
  }

  private removeOwnToken(): void {
    try {
      if (this.token && readFileSync(this.paths.token, 'utf8').trim() === this.token)
        rmSync(this.paths.token, { force: true });
    } catch (error) {
      this.options.log.debug({ err: errorMessage(error) }, 'HostControlServer - token gone');
    }
  }

  private async handleLine(line: string): Promise<LineOutcome> {
    const parsed = parseRequestLine(line, this.token);
    if (!parsed.ok) {
      this.options.log.warn({ code: parsed.response.code }, 'HostControlServer - refused');
      return { response: parsed.response };
    }

    const { id, action, params } = parsed.request;
    try {
      return { response: { id, success: true, data: await this.run(action, params) } };
    } catch (error) {
      const code = isTrayError(error) ? error.code : 'INTERNAL';
      this.options.log.info(
        { action, code, err: errorMessage(error) },
        'HostControlServer - failed',
      );
      const response: Response = { id, success: false, error: errorMessage(error), code };
      return { response };
    }
  }

  private async run(action: string, params: Record<string, unknown>): Promise<unknown> {
    const { host } = this.options;
    switch (action) {
      case 'ping':
        return {
          host: 'tray',
          pid: process.pid,
          sessions: host.list().map((session) => session.session),
        } satisfies HostPingData;
      case 'list_sessions':
        return { sessions: host.list() };
      case 'create_session': {
        const request = parseCreateParams(params);
        return host.create(request.session, request.options);
      }
      case 'stop_session': {
        const session = requireString(params, 'session');
        const outcome = await host.stop(session, 'stopped through the tray control socket');
        return { session, phase: outcome.phase };
      }
      default:
        throw new TrayError('UNKNOWN_ACTION', `Unknown action: ${action}`);
    }
  }
}

/** Checks `create_session` params field by field, naming the field that is wrong. */
function parseCreateParams(params: Record<string, unknown>): {
  session: string;
  options: HostedSessionOptions;
} {
  const wire = params as Partial<Record<keyof CreateSessionParams, unknown>>;
  const session = requireString(params, 'session');
  if (wire.headed !== undefined && typeof wire.headed !== 'boolean') {
    throw new TrayError('BAD_REQUEST', 'create_session: headed must be true or false');
  }
  const idle = wire.idle_timeout_s ?? null;
  if (idle !== null && (typeof idle !== 'number' || !Number.isFinite(idle) || idle <= 0)) {
    throw new TrayError('BAD_REQUEST', 'create_session: idle_timeout_s must be a positive number');
  }
  return {
    session,
    options: {
      headed: wire.headed ?? false,
      profile: optionalString(wire.profile, 'profile'),
      cdpUrl: optionalString(wire.cdp_url, 'cdp_url'),
      idleTimeoutS: idle,
    },
  };
}

function requireString(params: Record<string, unknown>, field: string): string {
  const value = params[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new TrayError('BAD_REQUEST', `${field} must be a non-empty string`);
  }
  return value;
}

function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new TrayError('BAD_REQUEST', `create_session: ${field} must be a string or null`);
  }
  return value;
}
