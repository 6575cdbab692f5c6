import { describe, expect, it } from 'vitest';
import { addPeer, type BenchReport, makeRow, renderTable } from '../../bench/report';
import { checkTargets } from '../../bench/targets';

function report(rows: BenchReport['rows']): BenchReport {
  return {
    schema: 1,
    started_at: '2026-01-01T00:00:00.000Z',
    duration_s: 1,
    machine: {
      cores: 2,
      cpu: 'test cpu',
      memory_gib: 24,
      load_average_start: [1, 1, 1],
      load_average: [1, 1, 1],
      node: '20.20.0',
      platform: 'linux-x64',
    },
    peers: { 'agent-browser': { version: '0.41.2', available: true } },
    rows,
    notes: ['a note'],
  };
}

describe('bench report', () => {
  it('checks ratio targets against the reference peer and absolute ones on their own', () => {
    const floor = makeRow('cli.node', 'floor', 'ms', [60, 60, 60]);
    const evalRow = makeRow('cli.eval', 'eval', 'ms', [70, 72, 74]);
    addPeer(evalRow, 'agent-browser', [150, 150]);
    const open = makeRow('cold.open', 'open', 'ms', [900]);
    addPeer(open, 'agent-browser', [1000]);
    const ping = makeRow('socket.ping', 'ping', 'ms', [0.3, 0.3]);
    const errors = makeRow('concurrent.errors', 'errors', 'count', [0]);
    const memory = makeRow('memory.page', 'page', 'MiB', [70, 90]);

    checkTargets([floor, evalRow, open, ping, errors, memory]);

    expect(evalRow.peers['agent-browser']?.ratio).toBeCloseTo(72 / 150);
    expect(evalRow.target).toEqual({
      text: '+12 ms over node -e 0 (≤ 15): yes; ≤ 0.5× agent-browser: yes',
      met: true,
    });
    expect(open.target).toMatchObject({ met: false });
    expect(ping.target).toMatchObject({ met: false, text: 'p50 ≤ 0.2 ms' });
    expect(errors.target?.met).toBe(true);
    // Every daemon must be under the bound, not only the median one.
    expect(memory.target?.met).toBe(false);
  });

  it('skips a ratio target when the reference peer was not measured', () => {
    const open = makeRow('cold.open', 'open', 'ms', [900]);
    checkTargets([open]);
    expect(open.target).toBeUndefined();
  });

  it('renders one table line per row with the peer ratio and the target', () => {
    const row = makeRow('cold.open', 'cold start', 'ms', [900, 1000, 1100]);
    addPeer(row, 'agent-browser', [1000]);
    checkTargets([row]);
    const text = renderTable(report([row]));

    expect(text).toContain('machine: 2 cores (test cpu)');
    expect(text).toContain('| cold start | ms | 3 | 1000 |');
    expect(text).toContain('1000 (1.00)');
    expect(text).toContain('MISSED: ≤ 0.8× agent-browser');
    expect(JSON.parse(JSON.stringify(report([row]))).rows[0].summary.p50).toBe(1000);
  });
});
