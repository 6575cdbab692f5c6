import { type Summary, summarize } from './stats';

export type Unit = 'ms' | 'MiB' | 'req/s' | 'count' | 'cpu s/s';

/** One peer's figure for the same scenario, and ours divided by it (p50 over p50). */
export interface PeerFigure {
  p50: number;
  ratio: number;
}

/** A target from the issue, checked against this run's figures. */
export interface TargetCheck {
  text: string;
  met: boolean;
}

/** One line of the table. */
export interface Row {
  /** Stable key, for the JSON and the target checks (e.g. `socket.ping`). */
  id: string;
  label: string;
  unit: Unit;
  summary: Summary;
  /** By peer name (`agent-browser`, `playwright-cli`). */
  peers: Record<string, PeerFigure>;
  target?: TargetCheck;
  note?: string;
}

/** What one run wrote: the machine, the rows, and what was skipped and why. */
export interface BenchReport {
  schema: 1;
  started_at: string;
  duration_s: number;
  machine: {
    cores: number;
    cpu: string;
    memory_gib: number;
    /** 1, 5 and 15 minute load averages when the run started and when it ended. */
    load_average_start: number[];
    load_average: number[];
    node: string;
    platform: string;
  };
  peers: Record<string, { version: string | null; available: boolean; note?: string }>;
  rows: Row[];
  notes: string[];
}

const COLUMNS = ['scenario', 'unit', 'n', 'p50', 'p95', 'min', 'max'];

/** Renders the report as a Markdown table (readable in a terminal, pasteable in a README). */
export function renderTable(report: BenchReport): string {
  const peerNames = Object.keys(report.peers).filter((name) => report.peers[name]?.available);
  const header = [...COLUMNS, ...peerNames.map((name) => `${name} p50 (ours/theirs)`), 'target'];
  const lines = [header, header.map(() => '---')];
  for (const row of report.rows) {
    const { summary } = row;
    lines.push([
      row.label,
      row.unit,
      String(summary.n),
      figure(summary.p50),
      summary.n > 1 ? figure(summary.p95) : '',
      summary.n > 1 ? figure(summary.min) : '',
      summary.n > 1 ? figure(summary.max) : '',
      ...peerNames.map((name) => {
        const peer = row.peers[name];
        return peer ? `${figure(peer.p50)} (${peer.ratio.toFixed(2)})` : '';
      }),
      row.target ? `${row.target.met ? 'met' : 'MISSED'}: ${row.target.text}` : '',
    ]);
  }

  const { machine } = report;
  const intro = [
    `Browser Tray benchmark, ${report.started_at}, ${report.duration_s.toFixed(0)} s`,
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memory_gib.toFixed(0)} GiB, ` +
      `load average ${loads(machine.load_average_start)} at the start, ` +
      `${loads(machine.load_average)} at the end, ` +
      `Node ${machine.node}, ${machine.platform}`,
    ...Object.entries(report.peers).map(
      ([name, peer]) =>
        `peer ${name}: ${peer.available ? (peer.version ?? 'unknown version') : 'not measured'}` +
        (peer.note ? ` (${peer.note})` : ''),
    ),
  ];
  const table = lines.map((cells) => `| ${cells.join(' | ')} |`);
  const notes = report.notes.map((note) => `- ${note}`);
  const rowNotes = report.rows
    .filter((row) => row.note)
    .map((row) => `- ${row.label}: ${row.note}`);
  return [...intro, '', ...table, '', ...notes, ...rowNotes].join('\n');
}

function loads(values: number[]): string {
  return values.map((load) => load.toFixed(1)).join(' ');
}

/** Three significant figures at most, without exponent notation. */
function figure(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** A row from raw samples; peers and the target are added later. */
export function makeRow(
  id: string,
  label: string,
  unit: Unit,
  samples: readonly number[],
  note?: string,
): Row {
  return { id, label, unit, summary: summarize(samples), peers: {}, ...(note ? { note } : {}) };
}

/** Adds a peer's samples of the same scenario to a row. */
export function addPeer(row: Row, peer: string, samples: readonly number[]): void {
  if (samples.length === 0) return;
  const p50 = summarize(samples).p50;
  row.peers[peer] = { p50, ratio: row.summary.p50 / p50 };
}
