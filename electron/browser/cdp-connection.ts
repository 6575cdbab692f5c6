import CDP from 'chrome-remote-interface';
import type ProtocolMapping from 'devtools-protocol/types/protocol-mapping';
import { errorMessage, TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';

export type CdpCommand = keyof ProtocolMapping.Commands;
export type CdpParams<M extends CdpCommand> = ProtocolMapping.Commands[M]['paramsType'][0];
export type CdpResult<M extends CdpCommand> = ProtocolMapping.Commands[M]['returnType'];
export type CdpEvent = keyof ProtocolMapping.Events;
export type CdpEventParams<E extends CdpEvent> = ProtocolMapping.Events[E][0];

/**
 * What one target (a page) offers: commands and events scoped to its session. The
 * recorder and the commands speak to a page only through this.
 */
export interface CdpChannel {
  send<M extends CdpCommand>(method: M, params?: CdpParams<M>): Promise<CdpResult<M>>;
  on<E extends CdpEvent>(event: E, listener: (params: CdpEventParams<E>) => void): () => void;
}

type Listener = (params: unknown) => void;
type RawSend = (method: string, params: object, sessionId?: string) => Promise<unknown>;

interface RawEvent {
  method: string;
  params: unknown;
  sessionId?: string;
}

/**
 * We only use the raw `send` and the generic `event` stream, never chrome-remote-interface's
 * per-domain helpers (`client.Page.navigate`). An empty protocol description skips both
 * fetching one over HTTP and building those helpers from its bundled 1 MB description,
 * which cost a cold start hundreds of milliseconds and the daemon about 10 MB.
 */
const NO_PROTOCOL_API: CDP.Protocol = { version: { major: '1', minor: '3' }, domains: [] };

/**
 * One WebSocket to the browser endpoint, multiplexing flattened target sessions.
 * When the socket closes every pending call is rejected with `BROWSER_GONE`.
 */
export class CdpConnection {
  readonly closed: Promise<void>;
  private connected = true;
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(
    private readonly client: CDP.Client,
    private readonly log: Logger,
  ) {
    this.closed = new Promise((resolve) => {
      client.on('disconnect', () => {
        this.connected = false;
        this.log.info('CDP connection closed');
        resolve();
      });
    });
    client.on('event', (message: RawEvent) => this.dispatch(message));
  }

  static async connect(wsEndpoint: string, log: Logger): Promise<CdpConnection> {
    try {
      const client = await CDP({ target: wsEndpoint, protocol: NO_PROTOCOL_API });
      return new CdpConnection(client, log);
    } catch (error) {
      throw new TrayError(
        'BROWSER_GONE',
        `Cannot connect to ${wsEndpoint}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async send<M extends CdpCommand>(
    method: M,
    params?: CdpParams<M>,
    sessionId?: string,
  ): Promise<CdpResult<M>> {
    if (!this.connected)
      throw new TrayError('BROWSER_GONE', `${method}: the browser connection is closed`);

    this.log.trace({ method, sessionId }, 'CDP send');
    try {
      // The typings pin an older protocol than devtools-protocol's; the wire format is the same.
      const send = this.client.send as unknown as RawSend;
      return (await send.call(this.client, method, params ?? {}, sessionId)) as CdpResult<M>;
    } catch (error) {
      throw this.translate(method, error);
    }
  }

  /** Subscribes to an event, optionally for one session only; returns the unsubscribe. */
  on<E extends CdpEvent>(
    event: E,
    sessionId: string | undefined,
    listener: (params: CdpEventParams<E>) => void,
  ): () => void {
    const key = sessionId ? `${event}.${sessionId}` : event;
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    const wrapped = listener as Listener;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** A channel scoped to one flattened target session. */
  channel(sessionId: string): CdpChannel {
    return {
      send: (method, params) => this.send(method, params, sessionId),
      on: (event, listener) => this.on(event, sessionId, listener),
    };
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    try {
      await this.client.close();
    } catch (error) {
      this.log.debug({ err: error }, 'closing the CDP connection failed; it was going away anyway');
    }
  }

  private dispatch(message: RawEvent): void {
    const keys = message.sessionId
      ? [`${message.method}.${message.sessionId}`, message.method]
      : [message.method];
    for (const key of keys) {
      const set = this.listeners.get(key);
      if (!set) continue;
      for (const listener of set) {
        try {
          listener(message.params);
        } catch (error) {
          this.log.error({ err: error, event: message.method }, 'CDP event listener threw');
        }
      }
    }
  }

  private translate(method: string, error: unknown): TrayError {
    if (!this.connected || errorMessage(error).includes('WebSocket connection closed')) {
      return new TrayError('BROWSER_GONE', `${method}: the browser went away`, { cause: error });
    }
    // chrome-remote-interface rejects with an Error whose `response` carries the CDP error.
    const response = (error as { response?: { message?: string; data?: string } }).response;
    const detail = response?.message
      ? `${response.message}${response.data ? ` (${response.data})` : ''}`
      : errorMessage(error);
    return new TrayError('CDP_ERROR', `${method}: ${detail}`, { cause: error });
  }
}
