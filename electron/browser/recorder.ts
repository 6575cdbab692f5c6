import { errorMessage, TrayError } from '../../shared/errors';
import type { RecordingStatus, RecordingSummary } from '../../shared/recording';
import type { Logger } from '../daemon/logger';
import { ActiveRecording } from './active-recording';
import type { CdpChannel } from './cdp-connection';
import { findFfmpeg, prepareOutputFile, removeOutputFile } from './video-encoder';

export const DEFAULT_FRAMERATE = 30;
export const MAX_FRAMERATE = 60;

export interface RecorderOptions {
  /** An explicit ffmpeg (`BROWSER_TRAY_FFMPEG`); otherwise ffmpeg on the PATH of `env`. */
  ffmpegPath: string | null;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Called when a recording starts, ends or fails, so the state file can follow. */
  onChange?: (status: RecordingStatus | null) => void;
}

export interface RecordOptions {
  /** An absolute path; the CLI resolves relative ones. */
  path: string;
  framerate: number;
}

/**
 * A session's screen recorder: at most one recording at a time, following the focused
 * tab, finished with no time limit on every way the session ends.
 */
export class Recorder {
  private recording: ActiveRecording | undefined;
  private starting: Promise<unknown> | undefined;
  /** A tab that took the focus while a recording was starting, to follow once it runs. */
  private focusDuringStart: CdpChannel | undefined;
  private ending: Promise<RecordingSummary> | undefined;
  /** Why the last recording ended on its own; reported by the next `stop`. */
  private failure: TrayError | undefined;
  private closed = false;

  constructor(private readonly options: RecorderOptions) {}

  get isRecording(): boolean {
    return this.recording !== undefined;
  }

  /** Starts recording `page`; resolves once ffmpeg is writing the file. */
  async start(page: CdpChannel, { path, framerate }: RecordOptions): Promise<RecordingStatus> {
    this.checkCanStart(framerate);
    const ffmpegPath = findFfmpeg(this.options.ffmpegPath, this.options.env);
    prepareOutputFile(path);

    const log = this.options.log;
    const begin = ActiveRecording.begin({
      page,
      path,
      framerate,
      ffmpegPath,
      log,
      onEncoderFailure: (error) => this.onEncoderFailure(error),
    });
    this.starting = begin;
    this.focusDuringStart = undefined;
    this.failure = undefined;
    try {
      this.recording = await begin;
    } catch (error) {
      log.warn({ path, err: errorMessage(error) }, 'recording did not start');
      removeOutputFile(path, log);
      throw error;
    } finally {
      this.starting = undefined;
    }

    const focused = this.focusDuringStart;
    this.focusDuringStart = undefined;
    if (focused && focused !== page) await this.recording.follow(focused);
    this.notify();
    return this.recording.status();
  }

  /** The focused tab changed: the recording, if any, follows it. */
  async follow(page: CdpChannel): Promise<void> {
    if (this.starting) this.focusDuringStart = page;
    await this.recording?.follow(page);
  }

  /** Ends the recording and reports what was written. */
  async stop(): Promise<RecordingSummary> {
    const recording = this.recording;
    if (recording) return this.end(recording);

    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    throw new TrayError(
      'BAD_REQUEST',
      'Not recording; start a recording with `btray record start PATH`',
    );
  }

  status(): RecordingStatus | null {
    return this.recording?.status() ?? null;
  }

  /**
   * Finishes any recording, with no time limit, and refuses new ones: the session is
   * ending. Never throws; a failure is logged.
   */
  async finish(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    const recording = this.recording;
    if (!recording) return;

    try {
      const summary = await this.end(recording);
      this.options.log.info(summary, 'recording finished as the session ends');
    } catch (error) {
      this.options.log.error({ err: errorMessage(error) }, 'recording failed as the session ends');
    }
  }

  private checkCanStart(framerate: number): void {
    if (this.closed) throw new TrayError('SHUTTING_DOWN', 'The session is shutting down');
    if (this.recording || this.starting) {
      const where = this.recording ? ` to ${this.recording.status().path}` : '';
      throw new TrayError(
        'BAD_REQUEST',
        `Already recording${where}; stop it first with \`btray record stop\``,
      );
    }
    if (!Number.isInteger(framerate) || framerate < 1 || framerate > MAX_FRAMERATE) {
      throw new TrayError(
        'BAD_REQUEST',
        `record: framerate must be a whole number from 1 to ${MAX_FRAMERATE}, got ${framerate}`,
      );
    }
  }

  /** One end per recording, whoever asks (`stop`, shutdown); the state follows once done. */
  private end(recording: ActiveRecording): Promise<RecordingSummary> {
    this.ending ??= recording.end().finally(() => {
      if (this.recording === recording) this.recording = undefined;
      this.ending = undefined;
      this.notify();
    });
    return this.ending;
  }

  private onEncoderFailure(error: TrayError): void {
    this.options.log.error({ err: error.message }, 'recording ended: ffmpeg stopped');
    this.recording = undefined;
    this.failure = error;
    this.notify();
  }

  private notify(): void {
    try {
      this.options.onChange?.(this.status());
    } catch (error) {
      this.options.log.warn({ err: errorMessage(error) }, 'recording change listener failed');
    }
  }
}
