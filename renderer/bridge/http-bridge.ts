import type { ActionResult, DashboardBridge } from '../../shared/bridge';
import type { DashboardSnapshot } from '../../shared/snapshot';

/**
 * The bridge over `btray dashboard`'s HTTP API. The session cookie set when the page
 * was opened authenticates every call; the server refuses anything cross-origin.
 */
export function createHttpBridge(base = '/api'): DashboardBridge {
  const post = (path: string, body: object = {}) => postJson(`${base}${path}`, body);
  const session = (name: string) => `/sessions/${encodeURIComponent(name)}`;

  return {
    subscribe: (listener) => {
      // EventSource reconnects by itself after the `retry` the server sets.
      const source = new EventSource(`${base}/events`);
      const onSnapshot = (event: MessageEvent<string>) => {
        listener(JSON.parse(event.data) as DashboardSnapshot);
      };
      source.addEventListener('snapshot', onSnapshot);
      return () => {
        source.removeEventListener('snapshot', onSnapshot);
        source.close();
      };
    },
    stopSession: (name) => post(`${session(name)}/stop`),
    startRecording: (name) => post(`${session(name)}/recording/start`),
    stopRecording: (name) => post(`${session(name)}/recording/stop`),
    setKeepOpen: (name, on) => post(`${session(name)}/keep-open`, { on }),
    newSession: (name) => post('/sessions', { name }),
  };
}

async function postJson(url: string, body: object): Promise<ActionResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `the dashboard server does not answer (${why})` };
  }

  if (!response.ok) {
    const text = (await response.text()).trim();
    return { ok: false, error: text || `the server answered ${response.status}` };
  }
  return (await response.json()) as ActionResult;
}
