import pino from 'pino';

/** The one logger type every module receives; children carry a `ns` namespace. */
export type Logger = pino.Logger;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * A session's logger, writing JSON lines to its own 0600 log file. Writes are
 * synchronous: a daemon that dies by signal keeps its last lines, which is what
 * someone debugging at 2 a.m. reads first.
 */
export function createSessionLogger(file: string, level: LogLevel, session: string): Logger {
  const destination = pino.destination({ dest: file, sync: true, mode: 0o600, mkdir: true });
  return pino(
    {
      level,
      base: { session, pid: process.pid },
      redact: { paths: ['token', '*.token', 'params.token'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that writes nothing, for tests and embedders that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
