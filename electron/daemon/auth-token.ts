import { randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileAtomic } from './atomic-file';

export { readTokenFile } from './token-file';

/** 32 random bytes as 64 hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Writes the token so that no other user can ever read it (0600 from its first byte). */
export function writeTokenFile(path: string, token: string): void {
  writeFileAtomic(path, token, 0o600);
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
