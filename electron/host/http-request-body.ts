import type { IncomingMessage } from 'node:http';
import { errorMessage } from '../../shared/errors';

const MAX_BODY_BYTES = 16 * 1024;

/** Why a request is turned away: the HTTP status, and a short message for whoever sent it. */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Bodies are small JSON objects; anything else, or a form post, is refused. The media
 * type must be exactly `application/json` (parameters such as charset may follow): a
 * prefix test would let `application/jsonfoo` through.
 */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (mediaType(request.headers['content-type']) !== 'application/json') {
    throw new HttpRefusal(415, 'the body must be application/json');
  }

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpRefusal(413, 'body too large');
    chunks.push(chunk as Buffer);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw new HttpRefusal(400, `invalid JSON: ${errorMessage(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpRefusal(400, 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** `Application/JSON; charset=utf-8` → `application/json`; media types ignore case. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw new HttpRefusal(400, `${field} must be a string`);
  return value;
}

export function booleanField(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (typeof value !== 'boolean') throw new HttpRefusal(400, `${field} must be true or false`);
  return value;
}
