import { createConnection } from 'node:net';
import { parseSocketAddress } from './socket-address';

/**
 * Whether something accepts connections on a session or host socket. A socket file left
 * by a dead process refuses at once; a missing one fails at once; only a process that
 * accepts but hangs costs the timeout.
 */
export function socketAnswers(socket: string, timeoutMs = 1000): Promise<boolean> {
  const address = parseSocketAddress(socket);
  return new Promise((resolve) => {
    const probe =
      address.kind === 'unix'
        ? createConnection(address.path)
        : createConnection(address.port, address.host);
    const finish = (answers: boolean): void => {
      clearTimeout(timer);
      probe.destroy();
      resolve(answers);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    probe.once('connect', () => finish(true));
    probe.once('error', () => finish(false));
  });
}
