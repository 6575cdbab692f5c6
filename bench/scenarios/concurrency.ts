import type { SessionClient } from '../context';
import { elapsedMs } from '../proc';
import { makeRow, type Row } from '../report';
import { summarize } from '../stats';

/**
 * `clients` connections at a time on one session for `seconds`: each client alternates
 * `ping` (answered at once) and `eval 1+1` (queued behind the session's other browser
 * commands), starting a new request as soon as its previous one answered.
 */
export async function measureConcurrency(
  client: SessionClient,
  clients: number,
  seconds: number,
): Promise<Row[]> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;

  const loop = async (worker: number): Promise<void> => {
    for (let turn = worker; Date.now() < deadline; turn += 1) {
      const [action, params] = turn % 2 === 0 ? ['ping', {}] : ['eval', { js: '1+1' }];
      const sent = process.hrtime.bigint();
      try {
        const response = await client.send(action as string, params as Record<string, unknown>);
        if (!response.success) errors.push(`${action}: ${response.code} ${response.error}`);
      } catch (error) {
        errors.push(`${action}: ${(error as Error).message}`);
      }
      latencies.push(elapsedMs(sent));
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, worker) => loop(worker)));
  const wallS = elapsedMs(started) / 1000;

  const label = `${clients} clients × ${seconds} s, ping+eval`;
  const latency = summarize(latencies);
  const firstErrors = [...new Set(errors)].slice(0, 3).join('; ');
  return [
    makeRow('concurrent.rps', `${label}: throughput`, 'req/s', [latencies.length / wallS]),
    makeRow(
      'concurrent.errors',
      `${label}: errors`,
      'count',
      [errors.length],
      firstErrors || undefined,
    ),
    makeRow(
      'concurrent.latency',
      `${label}: latency`,
      'ms',
      latencies,
      `p99 ${latency.p99.toFixed(1)} ms`,
    ),
    makeRow('concurrent.p99', `${label}: p99 latency`, 'ms', [latency.p99]),
  ];
}
