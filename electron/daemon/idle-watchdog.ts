/**
 * Calls `onIdle` once no command has arrived for `timeoutMs`. Keep-open pauses it: a
 * person watching a headed session sends no commands, so the timer cannot see them.
 */
export class IdleWatchdog {
  private lastActivity = Date.now();
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private fired = false;
  private busy = 0;

  constructor(
    readonly timeoutMs: number,
    private readonly onIdle: (idleMs: number) => void,
  ) {}

  start(): void {
    this.lastActivity = Date.now();
    this.arm(this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** A command started: the session is not idle while it runs, however long. */
  begin(): void {
    this.busy += 1;
    this.touch();
  }

  /** A command finished: the idle period starts now. */
  end(): void {
    this.busy = Math.max(0, this.busy - 1);
    this.touch();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    // Resuming starts a fresh period: the pause was someone's attention, not idleness.
    if (!paused) this.touch();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Epoch ms of the last command (or of the start). */
  get lastActivityAt(): number {
    return this.lastActivity;
  }

  /** Seconds left before the timeout, or null while paused. */
  secondsLeft(): number | null {
    if (this.paused) return null;
    return Math.max(0, Math.ceil((this.timeoutMs - (Date.now() - this.lastActivity)) / 1000));
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), Math.max(10, delayMs));
  }

  private check(): void {
    if (this.fired) return;
    const idleMs = Date.now() - this.lastActivity;
    const waiting = this.paused || this.busy > 0;
    if (!waiting && idleMs >= this.timeoutMs) {
      this.fired = true;
      this.onIdle(idleMs);
      return;
    }
    this.arm(waiting ? 1000 : this.timeoutMs - idleMs);
  }
}
