import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';

/** 32 random bytes as 64 hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Writes the token so that no other user can ever read it: the temporary file is
 * created 0600 at open time (no window with wider rights), then renamed into place.
 */
export function writeTokenFile(path: string, token: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, token);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function readTokenFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** Constant-time comparison, so response timing says nothing about the token. */
export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;

  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; compare against ourselves to keep the timing flat.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
