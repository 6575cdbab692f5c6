import { sessionNameProblem } from '../../shared/session-name';
import { HttpRefusal } from './http-request-body';

/** What can be done to one session from the dashboard API, by its path after the name. */
export const SESSION_ACTIONS = ['stop', 'recording/start', 'recording/stop', 'keep-open'] as const;

export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** One endpoint of the dashboard API, with the session name already checked. */
export type ApiRoute =
  | { endpoint: 'events' }
  | { endpoint: 'snapshot' }
  | { endpoint: 'new-session' }
  | { endpoint: 'session-action'; name: string; action: SessionAction };

const SESSION_PATH = /^\/api\/sessions\/([^/]*)\/(.+)$/;

/**
 * The endpoint an `/api/` request names. Refusals are the same wherever they arise: 404
 * for a path that is no endpoint, 405 for a known endpoint asked with another method,
 * 400 for a session name that is malformed or not a session name.
 */
export function resolveApiRoute(method: string, path: string): ApiRoute {
  const route = matchPath(path);
  if (route === undefined) throw new HttpRefusal(404, 'no such endpoint');

  const expected = route.endpoint === 'events' || route.endpoint === 'snapshot' ? 'GET' : 'POST';
  if (method !== expected) throw new HttpRefusal(405, `method not allowed: use ${expected}`);
  if (route.endpoint !== 'session-action') return route;

  return { endpoint: 'session-action', action: route.action, name: sessionName(route.rawName) };
}

/** A session name from a request (path or body); refused with 400 when unusable. */
export function checkedSessionName(name: string): string {
  const problem = sessionNameProblem(name);
  if (problem) throw new HttpRefusal(400, problem);
  return name;
}

type MatchedPath =
  | Exclude<ApiRoute, { endpoint: 'session-action' }>
  | { endpoint: 'session-action'; rawName: string; action: SessionAction };

function matchPath(path: string): MatchedPath | undefined {
  if (path === '/api/events') return { endpoint: 'events' };
  if (path === '/api/snapshot') return { endpoint: 'snapshot' };
  if (path === '/api/sessions') return { endpoint: 'new-session' };

  const match = SESSION_PATH.exec(path);
  const action = SESSION_ACTIONS.find((known) => known === match?.[2]);
  if (match === null || action === undefined) return undefined;
  return { endpoint: 'session-action', rawName: match[1] ?? '', action };
}

function sessionName(rawName: string): string {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    // A broken escape such as %E0%A4%A: the client's mistake, not a server error.
    throw new HttpRefusal(400, 'malformed session name in the path');
  }
  return checkedSessionName(name);
}
