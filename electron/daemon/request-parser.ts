import type { ErrorCode } from '../../shared/errors';
import type { FailureResponse } from '../../shared/protocol';
import { tokensMatch } from './auth-token';

export interface ParsedRequest {
  id: string;
  action: string;
  params: Record<string, unknown>;
  cancelOnDisconnect: boolean;
}

export type ParseOutcome =
  | { ok: true; request: ParsedRequest }
  | { ok: false; response: FailureResponse };

function failure(id: string, code: ErrorCode, error: string): ParseOutcome {
  return { ok: false, response: { id, success: false, error, code } };
}

/**
 * Checks one request line: JSON, then the token (before anything else is looked at),
 * then the shape. Fields we do not know are ignored, as the protocol says.
 */
export function parseRequestLine(line: string, token: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return failure('', 'INVALID_JSON', `Invalid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure('', 'BAD_REQUEST', 'Invalid request: expected a JSON object');
  }

  const raw = value as Record<string, unknown>;
  const id = typeof raw.id === 'string' ? raw.id : raw.id === undefined ? '' : String(raw.id);
  if (!tokensMatch(raw.token, token)) return failure(id, 'UNAUTHORIZED', 'Unauthorized');

  if (typeof raw.action !== 'string' || raw.action.length === 0) {
    return failure(id, 'BAD_REQUEST', 'Invalid request: action must be a non-empty string');
  }
  const params = raw.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return failure(id, 'BAD_REQUEST', 'Invalid request: params must be an object');
  }
  return {
    ok: true,
    request: {
      id,
      action: raw.action,
      params: params as Record<string, unknown>,
      cancelOnDisconnect: raw.cancel_on_disconnect === true,
    },
  };
}
