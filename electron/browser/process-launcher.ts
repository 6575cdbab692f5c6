import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Keeps the last lines a child wrote, to attach to launch and exit errors. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 30) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  text(): string {
    return [...this.lines, this.partial].filter((line) => line.length > 0).join('\n');
  }

  private add(line: string): void {
    if (line.length === 0) return;
    this.lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}

export interface LaunchOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra pipes past stdin/stdout/stderr (Chromium's lifeline uses fds 3 and 4). */
  extraPipes?: number;
  /** Called with every stderr chunk, for callers that watch for a line. */
  onStderr?: (chunk: Buffer) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process in its own process group, with its output always drained so that
 * a chatty child never blocks on a full pipe. {@link stop} is safe to call any number
 * of times and from any path.
 */
export class LaunchedProcess {
  readonly exited: Promise<ExitInfo>;
  readonly stderrTail = new OutputTail();
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  private constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      const finish = (info: ExitInfo): void => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        resolve(info);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      // A process that could not be spawned (ENOENT, EACCES) never emits 'exit'.
      child.once('error', (error) => {
        this.stderrTail.push(`${error.message}\n`);
        if (child.pid === undefined) finish({ code: null, signal: null });
      });
    });
  }

  static start(options: LaunchOptions): LaunchedProcess {
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
    for (let i = 0; i < (options.extraPipes ?? 0); i++) stdio.push('pipe');

    // detached: a process group of its own, so stop() reaches every helper process it forks.
    const child = spawn(options.command, options.args, {
      env: options.env ?? process.env,
      stdio,
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const launched = new LaunchedProcess(child);
    launched.drain(child.stdout, undefined);
    launched.drain(child.stderr, options.onStderr);
    return launched;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Sends `signal` to the whole group (falls back to the child alone). */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.hasExited) return;
    try {
      process.kill(process.platform === 'win32' ? pid : -pid, signal);
    } catch {
      // The group may be gone already; signal the child itself as a last resort.
      this.child.kill(signal);
    }
  }

  /**
   * Asks the process to end (SIGTERM), then kills the group after `graceMs`. Returns
   * the same promise on every call.
   */
  stop(graceMs = 3000): Promise<ExitInfo> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    if (this.stopping) return this.stopping;

    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    this.stopping = this.exited.finally(() => clearTimeout(timer));
    return this.stopping;
  }

  private drain(stream: Readable | null, onChunk: ((chunk: Buffer) => void) | undefined): void {
    if (!stream) return;
    stream.on('data', (chunk: Buffer) => {
      this.stderrTail.push(chunk);
      onChunk?.(chunk);
    });
    stream.on('error', () => {
      // A pipe error only means the child is going away; 'exit' reports the outcome.
    });
  }
}
