import { rmSync } from 'node:fs';
import { generateToken, tokensMatch, writeTokenFile } from '../../electron/daemon/auth-token';
import { silentLogger } from '../../electron/daemon/logger';
import { type SessionPaths, sessionPaths } from '../../electron/daemon/paths';
import { type LineOutcome, RequestServer } from '../../electron/daemon/socket-server';
import { writeStateFile } from '../../electron/daemon/state-file';
import type { ErrorCode } from '../../shared/errors';
import type { Phase } from '../../shared/phases';
import type { Request, StatusData } from '../../shared/protocol';
import type { RecordingStatus } from '../../shared/recording';
import { sampleStateFile } from '../helpers/state-file-fixture';

export interface FakeSessionOptions {
  phase?: Phase;
  idleTimeoutS?: number;
  url?: string | null;
  title?: string | null;
  /** Seconds until the idle stop; the full timeout when absent. */
  idleLeftS?: number;
  /** Start recording at once, as if it had run this many seconds already. */
  recordingSinceS?: number;
  /** The file name of that recording, in the home folder. */
  recordingName?: string;
  /** Answer `status` only after this long (to look hung). */
  statusDelayMs?: number;
  /** The pid it claims, for pictures; the test process's own by default. */
  pid?: number;
  /** Stay `shutting_down` this long after `shutdown`, as a daemon finishing a recording does. */
  shutdownDelayMs?: number;
}

/**
 * A stand-in for a live session daemon, serving the real protocol on a real socket with
 * a real token and state file: enough to watch the monitor and the dashboard react.
 */
export class FakeSession {
  readonly requests: Request[] = [];
  readonly paths: SessionPaths;
  private readonly token = generateToken();
  private readonly server: RequestServer;
  private phase: Phase;
  private keepOpen = false;
  private idleDeadlineMs: number;
  private recording: RecordingStatus | null = null;

  private constructor(
    home: string,
    name: string,
    private readonly options: FakeSessionOptions,
  ) {
    this.paths = sessionPaths(home, name);
    this.phase = options.phase ?? 'running';
    this.idleDeadlineMs = Date.now() + (options.idleLeftS ?? options.idleTimeoutS ?? 1800) * 1000;
    if (options.recordingSinceS !== undefined) {
      const file = options.recordingName ?? `${name}.mp4`;
      this.startRecording(`${home}/${file}`, options.recordingSinceS);
    }
    this.server = new RequestServer({
      maxRequestBytes: 64 * 1024,
      readDeadlineMs: 2000,
      handleLine: (line) => this.handle(line),
      log: silentLogger(),
    });
  }

  static async start(home: string, name: string, options: FakeSessionOptions = {}) {
    const session = new FakeSession(home, name, options);
    writeTokenFile(session.paths.token, session.token);
    await session.server.listen(session.paths.socket);
    session.writeState();
    return session;
  }

  /** Ends the fake as a crashed daemon would: socket gone, state file left behind. */
  crash(): void {
    this.server.close();
  }

  /** Ends the fake as a clean shutdown does: state `stopped`, token and socket gone. */
  stop(): void {
    this.server.close();
    rmSync(this.paths.token, { force: true });
    this.phase = 'stopped';
    this.writeState();
  }

  actions(): string[] {
    return this.requests.map((request) => request.action);
  }

  private async handle(line: string): Promise<LineOutcome> {
    const request = JSON.parse(line) as Request;
    if (!tokensMatch(request.token, this.token)) {
      return { response: fail(request, 'Unauthorized', 'UNAUTHORIZED') };
    }
    this.requests.push(request);

    if (request.action === 'status') {
      await new Promise((resolve) => setTimeout(resolve, this.options.statusDelayMs ?? 0));
      return { response: { id: request.id, success: true, data: this.status() } };
    }
    if (request.action === 'shutdown') {
      this.phase = 'shutting_down';
      this.writeState();
      const stop = () => setTimeout(() => this.stop(), this.options.shutdownDelayMs ?? 0);
      return { response: ok(request, { shutdown: true }), afterAnswer: stop };
    }
    if (request.action === 'keep_open') {
      this.keepOpen = request.params.on === true;
      return { response: ok(request, { keep_open: this.keepOpen }) };
    }
    if (request.action === 'record') return { response: this.record(request) };
    return { response: fail(request, `Unknown action: ${request.action}`) };
  }

  private record(request: Request) {
    if (request.params.record_command === 'start') {
      this.startRecording(String(request.params.path), 0);
      return ok(request, { path: this.recording?.path });
    }
    if (!this.recording) return fail(request, 'No recording in progress');
    const path = this.recording.path;
    this.recording = null;
    return ok(request, { path, duration_s: 1, frames: 10, size_bytes: 1000 });
  }

  private startRecording(path: string, sinceS: number): void {
    this.recording = {
      active: true,
      path,
      framerate: 10,
      started_at: Date.now() / 1000 - sinceS,
      elapsed_s: sinceS,
      frames: 0,
      size_bytes: 0,
    };
  }

  private status(): StatusData {
    const recording = this.recording && {
      ...this.recording,
      elapsed_s: Date.now() / 1000 - this.recording.started_at,
    };
    const idleLeft = Math.max(0, Math.round((this.idleDeadlineMs - Date.now()) / 1000));
    return {
      session: this.paths.name,
      pid: this.options.pid ?? process.pid,
      phase: this.phase,
      config: { headed: false, profile: null, cdp_url: null, use_cloud: false },
      idle_seconds_left: this.keepOpen ? null : idleLeft,
      idle_timeout_s: this.options.idleTimeoutS ?? 1800,
      keep_open: this.keepOpen,
      last_command_at: null,
      recording,
      browser: null,
      url: this.options.url ?? null,
      title: this.options.title ?? null,
      tabs: 1,
    };
  }

  private writeState(): void {
    writeStateFile(
      this.paths.state,
      sampleStateFile(this.paths.name, {
        phase: this.phase,
        pid: this.options.pid ?? process.pid,
        idle_timeout_s: this.options.idleTimeoutS ?? 1800,
        keep_open: this.keepOpen,
        recording: this.recording,
      }),
    );
  }
}

function ok(request: Request, data: unknown) {
  return { id: request.id, success: true as const, data };
}

function fail(request: Request, error: string, code: ErrorCode = 'BAD_REQUEST') {
  return { id: request.id, success: false as const, error, code };
}
