import { createConnection } from 'node:net';
import type { Request, Response } from '../../shared/protocol';
import { parseSocketAddress } from './socket-address';

export interface SendOptions {
  /** Gives up after this long with a `TIMEOUT` failure; the default waits as long as needed. */
  timeoutMs?: number;
  /**
   * Tells the daemon to drop the request if this process goes away before the answer
   * (Ctrl-C, killed): safe because this client never half-closes its side.
   */
  cancelOnDisconnect?: boolean;
}

/** Why a request never got an answer: the daemon is not there, or hung up. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';

  constructor(
    message: string,
    readonly errno: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Sends one request to a session socket and resolves with its one-line answer.
 * Rejects with {@link ConnectionError} when nothing answers.
 */
export function sendRequest(
  socket: string,
  token: string,
  action: string,
  params: Record<string, unknown> = {},
  options: SendOptions = {},
): Promise<Response> {
  const request: Request = { id: nextRequestId(), action, params, token };
  if (options.cancelOnDisconnect) request.cancel_on_disconnect = true;
  return exchange(socket, `${JSON.stringify(request)}\n`, options);
}

let sequence = 0;

/**
 * An id unique among this process's requests and others' at the same moment. Not a UUID:
 * `node:crypto` alone would add milliseconds to every CLI command's start-up.
 */
function nextRequestId(): string {
  sequence += 1;
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${sequence.toString(36)}`;
}

/** Writes a raw line and reads the answer; exported for protocol tests and the bench. */
export function exchange(
  socket: string,
  line: string,
  options: SendOptions = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const address = parseSocketAddress(socket);
    const connection =
      address.kind === 'unix'
        ? createConnection(address.path)
        : createConnection(address.port, address.host);
    const chunks: Buffer[] = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      connection.destroy();
      outcome();
    };

    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        finish(() =>
          reject(new ConnectionError(`no answer within ${options.timeoutMs} ms`, 'ETIMEDOUT')),
        );
      }, options.timeoutMs);
    }

    connection.on('connect', () => connection.write(line));
    connection.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!chunk.includes(10)) return;
      finish(() => resolve(parseAnswer(Buffer.concat(chunks))));
    });
    connection.on('end', () => {
      finish(() => {
        if (chunks.length > 0) resolve(parseAnswer(Buffer.concat(chunks)));
        else
          reject(
            new ConnectionError('the daemon closed the connection without answering', 'ECONNRESET'),
          );
      });
    });
    connection.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => reject(new ConnectionError(error.message, error.code)));
    });
  });
}

function parseAnswer(bytes: Buffer): Response {
  const text = bytes.toString('utf8');
  const line = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  try {
    return JSON.parse(line) as Response;
  } catch {
    return {
      id: '',
      success: false,
      error: `Malformed answer from daemon: ${line.slice(0, 200)}`,
      code: 'INTERNAL',
    };
  }
}
