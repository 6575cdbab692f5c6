import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Response } from '../../shared/protocol';
import type { Logger } from './logger';
import { parseSocketAddress } from './socket-address';

/** What the daemon does with one request line: the answer, and work to run once it is sent. */
export interface LineOutcome {
  response: Response;
  afterAnswer?: () => void;
}

export interface RequestServerOptions {
  maxRequestBytes: number;
  readDeadlineMs: number;
  handleLine: (line: string) => Promise<LineOutcome>;
  log: Logger;
}

/**
 * One request per connection: read one bounded line within a deadline, answer one line,
 * close. Neither an endless line nor a silent client can hold memory or a slot.
 */
export class RequestServer {
  private server: Server | undefined;
  private readonly waiting = new Set<Socket>();

  constructor(private readonly options: RequestServerOptions) {}

  /** Binds the socket owner-only; resolves once it accepts connections. */
  async listen(address: string): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const target = parseSocketAddress(address);
      if (target.kind === 'tcp') {
        server.listen({ host: target.host, port: target.port }, resolve);
        return;
      }
      // The bind happens inside listen(): a tight umask makes the socket 0600 from its first instant.
      const previous = process.umask(0o177);
      try {
        server.listen(target.path, resolve);
      } finally {
        process.umask(previous);
      }
    });

    server.removeAllListeners('error');
    server.on('error', (error) => this.options.log.error({ err: error }, 'socket server error'));
    const target = parseSocketAddress(address);
    if (target.kind === 'unix') chmodSync(target.path, 0o600);
  }

  /**
   * Stops accepting connections and drops clients that never sent a line. Requests
   * already being answered finish on their own.
   */
  close(): void {
    this.server?.close();
    for (const socket of this.waiting) socket.destroy();
    this.waiting.clear();
  }

  private accept(socket: Socket): void {
    const { maxRequestBytes, readDeadlineMs, log } = this.options;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    this.waiting.add(socket);

    const deadline = setTimeout(() => {
      reply({
        id: '',
        success: false,
        error: `No request within ${readDeadlineMs} ms`,
        code: 'TIMEOUT',
      });
    }, readDeadlineMs);

    const reply = (response: Response, afterAnswer?: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      this.waiting.delete(socket);
      socket.removeAllListeners('data');
      socket.end(`${JSON.stringify(response)}\n`, afterAnswer);
    };

    socket.on('data', (chunk: Buffer) => {
      const newline = chunk.indexOf(10);
      const usable = newline === -1 ? chunk : chunk.subarray(0, newline);
      received += usable.length;
      if (received > maxRequestBytes) {
        log.warn({ bytes: received }, 'request line over the size bound; connection dropped');
        reply({
          id: '',
          success: false,
          error: `Request larger than ${maxRequestBytes} bytes`,
          code: 'BAD_REQUEST',
        });
        socket.destroySoon();
        return;
      }
      chunks.push(usable);
      if (newline === -1) return;

      clearTimeout(deadline);
      this.waiting.delete(socket);
      const line = Buffer.concat(chunks).toString('utf8');
      this.options.handleLine(line).then(
        (outcome) => reply(outcome.response, outcome.afterAnswer),
        (error: unknown) =>
          reply({ id: '', success: false, error: String(error), code: 'INTERNAL' }),
      );
    });

    socket.on('end', () => {
      // A client may send its line without a trailing newline and half-close.
      if (!done && chunks.length > 0 && received > 0) socket.emit('data', Buffer.from('\n'));
    });
    socket.on('error', (error) => {
      log.debug({ err: error }, 'client connection error');
      clearTimeout(deadline);
      this.waiting.delete(socket);
    });
    socket.on('close', () => {
      clearTimeout(deadline);
      this.waiting.delete(socket);
    });
  }
}
