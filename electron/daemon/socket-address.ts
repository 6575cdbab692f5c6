/** Where a session listens: a Unix socket path, or loopback TCP on Windows. */
export type SocketAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number };

/** Parses a session socket (a path, or `tcp://host:port` on Windows). */
export function parseSocketAddress(socket: string): SocketAddress {
  if (!socket.startsWith('tcp://')) return { kind: 'unix', path: socket };

  const url = new URL(socket);
  return { kind: 'tcp', host: url.hostname, port: Number(url.port) };
}
