import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** What a finished process printed, and how long it took from spawn to exit. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** How long to wait for a finished process's pipes before giving up on them. */
const PIPE_GRACE_MS = 250;

/**
 * Runs a command asynchronously (the bench serves the pages the browser loads from this
 * very process, so it must never block its event loop) and times it from spawn to exit.
 * A daemon the command leaves behind may hold our pipes open: the exit is what counts.
 */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);

    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      const wallMs = elapsedMs(started);
      clearTimeout(timer);
      const done = (): void => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ code, stdout, stderr, wallMs });
      };
      const grace = setTimeout(done, PIPE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(grace);
        done();
      });
    });
  });
}

/** Milliseconds since a `process.hrtime.bigint()` reading. */
export function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** Resident memory of one process in MiB (VmRSS), or undefined once it is gone. */
export async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  pgid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** Linux's USER_HZ: /proc/PID/stat counts CPU time in these ticks on every usual kernel. */
const TICKS_PER_SECOND = 100;

async function readStat(pid: number): Promise<ProcStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may contain spaces: split after its end.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  if (fields[0] === 'Z') return undefined;
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

/** Every live process's stat line (one pass over /proc). */
export async function listProcesses(): Promise<ProcStat[]> {
  const entries = await readdir('/proc');
  const stats = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => readStat(Number(entry))),
  );
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** CPU seconds (user + system) the given processes have used so far; gone ones count 0. */
export async function cpuSeconds(pids: readonly number[]): Promise<number> {
  const stats = await Promise.all(pids.map((pid) => readStat(pid)));
  const ticks = stats.reduce((sum, stat) => sum + (stat?.cpuTicks ?? 0), 0);
  return ticks / TICKS_PER_SECOND;
}
