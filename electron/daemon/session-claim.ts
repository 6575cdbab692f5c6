import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { TrayError } from '../../shared/errors';
import { processAlive } from './process-alive';

/**
 * The exclusive right to start a session, held from the first file written until the
 * socket is bound. A claim left by a process that died is taken over.
 */
export class SessionClaim {
  private held = false;

  constructor(private readonly path: string) {}

  acquire(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.tryCreate()) {
        this.held = true;
        return;
      }
      const owner = this.owner();
      if (owner !== undefined && processAlive(owner)) {
        throw new TrayError('BAD_REQUEST', `The session is being started by process ${owner}`);
      }
      // The claimant died before finishing its start-up: its claim is stale.
      rmSync(this.path, { force: true });
    }
    throw new TrayError('BAD_REQUEST', 'Another process keeps claiming this session');
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.owner() === process.pid) rmSync(this.path, { force: true });
  }

  private tryCreate(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    return true;
  }

  private owner(): number | undefined {
    try {
      const pid = Number.parseInt(readFileSync(this.path, 'utf8'), 10);
      return Number.isNaN(pid) ? undefined : pid;
    } catch {
      return undefined;
    }
  }
}
