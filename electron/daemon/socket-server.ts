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
  /** `clientGone` aborts when the connection ends before the answer is sent. */
  handleLine: (line: string, clientGone: AbortSignal) => Promise<LineOutcome>;
  log: Logger;
}

/**
 * One request per connection: read one bounded line within a deadline, answer one line,
 * close. Neither an endless line nor a silent client can hold memory or a slot.
 */
export class RequestServer {
  private server: Server | undefined;
  private readonly waiting = new Set<Socket>();
  private readonly open = new Set<Socket>();

  constructor(private readonly options: RequestServerOptions) {}

  /** Binds the socket owner-only; resolves once it accepts connections. */
  async listen(address: string): Promise<void> {
    // Half-open: a client may send its line and half-close before reading the answer.
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
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

  /** Resolves once every connection has closed (answers sent), or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.open.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private accept(socket: Socket): void {
    this.open.add(socket);
    const { maxRequestBytes, readDeadlineMs, log } = this.options;
    const chunks: Buffer[] = [];
    let received = 0;
    let lineRead = false;
    let answered = false;
    const clientGone = new AbortController();
    this.waiting.add(socket);

    const stopReading = (): void => {
      lineRead = true;
      clearTimeout(deadline);
      this.waiting.delete(socket);
      socket.removeAllListeners('data');
    };

    const reply = (response: Response, afterAnswer?: () => void): void => {
      if (answered) return;
      answered = true;
      stopReading();
      socket.end(`${JSON.stringify(response)}\n`, afterAnswer);
      // Whatever the client still sends is read and dropped until the answer is out.
      socket.resume();
      socket.destroySoon();
    };

    // One line per connection: whatever follows it is ignored.
    const handle = (): void => {
      stopReading();
      // Still read (and drop) what follows, so the end of the connection is noticed.
      socket.resume();
      const line = Buffer.concat(chunks).toString('utf8');
      this.options.handleLine(line, clientGone.signal).then(
        (outcome) => reply(outcome.response, outcome.afterAnswer),
        (error: unknown) =>
          reply({ id: '', success: false, error: String(error), code: 'INTERNAL' }),
      );
    };

    const deadline = setTimeout(() => {
      reply({
        id: '',
        success: false,
        error: `No request within ${readDeadlineMs} ms`,
        code: 'TIMEOUT',
      });
    }, readDeadlineMs);

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
        return;
      }
      chunks.push(usable);
      if (newline !== -1) handle();
    });

    // A client may send its line without the newline and then half-close.
    socket.on('end', () => {
      if (lineRead) {
        if (!answered) clientGone.abort();
        return;
      }
      if (received > 0) handle();
      else
        reply({
          id: '',
          success: false,
          error: 'No request before the connection closed',
          code: 'BAD_REQUEST',
        });
    });
    socket.on('error', (error) => {
      log.debug({ err: error }, 'client connection error');
      clearTimeout(deadline);
      this.waiting.delete(socket);
    });
    socket.on('close', () => {
      if (!answered) clientGone.abort();
      clearTimeout(deadline);
      this.waiting.delete(socket);
      this.open.delete(socket);
    });
  }
}
