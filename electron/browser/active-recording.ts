import { statSync } from 'node:fs';
import { errorMessage, TrayError } from '../../shared/errors';
import type { RecordingStatus, RecordingSummary } from '../../shared/recording';
import type { Logger } from '../daemon/logger';
import type { CdpChannel } from './cdp-connection';
import { jpegSize } from './jpeg-size';
import { Screencast } from './screencast';
import { VideoEncoder } from './video-encoder';

/** How long a page may take to send its first frame once the screencast starts. */
const FIRST_FRAME_TIMEOUT_MS = 10_000;

/** Frames written before the clock starts, to see ffmpeg write the file's first bytes. */
const PRIMING_FRAMES = 2;

/** ffmpeg's unread input past which the log says it cannot keep up. */
const BACKLOG_WARNING_BYTES = 64 * 1024 * 1024;

export interface ActiveRecordingOptions {
  page: CdpChannel;
  path: string;
  framerate: number;
  ffmpegPath: string;
  log: Logger;
  /** Called once if ffmpeg stops before the recording was ended. */
  onEncoderFailure: (error: TrayError) => void;
}

/**
 * One recording in progress: the screencast of the focused page, a clock that writes the
 * newest frame at a constant rate (repeating the last one while the page does not paint,
 * so the video lasts as long as the wall clock says), and the encoder.
 */
export class ActiveRecording {
  private frames = 0;
  private clockStartMs = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private switching: Promise<void> = Promise.resolve();
  private ending: Promise<RecordingSummary> | undefined;
  private backlogWarned = false;

  private constructor(
    private screencast: Screencast,
    private readonly encoder: VideoEncoder,
    private lastFrame: Buffer,
    private readonly options: ActiveRecordingOptions,
  ) {}

  /**
   * Starts the screencast, sizes the video after its first frame, starts ffmpeg and the
   * clock, and resolves once ffmpeg has written the file's first bytes. On failure every
   * part is ended; the caller removes the file.
   */
  static async begin(options: ActiveRecordingOptions): Promise<ActiveRecording> {
    const { log } = options;
    const screencast = await Screencast.start(options.page, log);
    let encoder: VideoEncoder | undefined;
    try {
      const first = await screencast.waitForFrame(FIRST_FRAME_TIMEOUT_MS);
      if (!first) {
        throw new TrayError(
          'RECORDER_FAILED',
          `The page sent no frame within ${FIRST_FRAME_TIMEOUT_MS / 1000} s; nothing was recorded`,
        );
      }
      const size = jpegSize(first);
      if (!size)
        throw new TrayError('RECORDER_FAILED', 'The screencast sent a frame that is not a JPEG');

      encoder = await VideoEncoder.open({ ...options, ...size });
      // ffmpeg's JPEG reader emits a frame once the next one begins: two frames make it
      // write the file's start, which proves it works. They open the video, and the clock
      // starts only now, so the video's time zero is the moment `start` answers.
      for (let i = 0; i < PRIMING_FRAMES; i++) encoder.write(first);
      await encoder.waitForFirstBytes();
      const recording = new ActiveRecording(screencast, encoder, first, options);
      recording.startClock();
      recording.watchEncoder();
      log.info({ path: options.path, framerate: options.framerate, ...size }, 'recording started');
      return recording;
    } catch (error) {
      // An ffmpeg that failed has exited already; one that hangs gets its input ended, to
      // stop by itself, rather than killed or waited for.
      encoder?.abandon();
      await screencast.stop();
      throw error;
    }
  }

  /** Moves the screencast to another page; the video goes on without a gap. */
  follow(page: CdpChannel): Promise<void> {
    this.switching = this.switching.then(async () => {
      if (this.ending || page === this.screencast.page) return;
      await this.screencast.stop();
      try {
        this.screencast = await Screencast.start(page, this.options.log);
        this.options.log.info('recording follows the focused tab');
      } catch (error) {
        // The last frame keeps repeating until the focus moves to a page that can stream.
        this.options.log.warn(
          { err: errorMessage(error) },
          'the focused tab cannot be recorded; repeating the last frame',
        );
      }
    });
    return this.switching;
  }

  status(): RecordingStatus {
    return {
      active: true,
      path: this.options.path,
      framerate: this.options.framerate,
      started_at: this.startedAt / 1000,
      elapsed_s: Math.round((performance.now() - this.clockStartMs) / 100) / 10,
      frames: this.frames,
      size_bytes: fileSize(this.options.path),
    };
  }

  /**
   * Writes the frames due until now, ends ffmpeg's input and waits, with no time limit,
   * until the file is complete. Every caller gets the same promise.
   */
  end(): Promise<RecordingSummary> {
    this.ending ??= this.endNow();
    return this.ending;
  }

  private async endNow(): Promise<RecordingSummary> {
    this.tick();
    this.stopClock();
    await this.switching;

    const { path, framerate, log } = this.options;
    await Promise.all([this.screencast.stop(), this.encoder.finish()]);

    const size = fileSize(path);
    if (size === 0) throw new TrayError('RECORDER_FAILED', `ffmpeg wrote no video to ${path}`);
    const summary: RecordingSummary = {
      path,
      duration_s: Math.round((this.frames / framerate) * 100) / 100,
      frames: this.frames,
      size_bytes: size,
    };
    log.info(summary, 'recording finished');
    return summary;
  }

  /** Starts the clock as if the priming frames had been its first ticks. */
  private startClock(): void {
    this.frames = PRIMING_FRAMES;
    const primedMs = ((PRIMING_FRAMES - 1) * 1000) / this.options.framerate;
    this.startedAt = Date.now() - primedMs;
    this.clockStartMs = performance.now() - primedMs;
    this.tick();
    this.timer = setInterval(() => this.tick(), 1000 / this.options.framerate);
  }

  private stopClock(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Writes as many frames as the clock says are due, so timer jitter or a busy moment
   * never shortens the video. The monotonic clock does not count a suspended machine.
   */
  private tick(): void {
    const fresh = this.screencast.takeNewFrame();
    if (fresh) this.lastFrame = fresh;

    const elapsedMs = performance.now() - this.clockStartMs;
    const due = Math.floor((elapsedMs * this.options.framerate) / 1000) + 1;
    for (; this.frames < due; this.frames++) this.encoder.write(this.lastFrame);

    if (!this.backlogWarned && this.encoder.backlogBytes > BACKLOG_WARNING_BYTES) {
      this.backlogWarned = true;
      this.options.log.warn(
        { backlogBytes: this.encoder.backlogBytes },
        'ffmpeg is not keeping up; frames are queuing in memory',
      );
    }
  }

  /** ffmpeg ending on its own (killed, out of disk) ends the recording. */
  private watchEncoder(): void {
    void this.encoder.exited.then(() => {
      if (this.ending) return;
      const error = this.encoder.failure(
        `ffmpeg stopped during the recording; what it wrote is in ${this.options.path}`,
      );
      this.ending = Promise.reject(error);
      this.ending.catch(() => undefined);
      this.stopClock();
      void this.screencast.stop();
      this.options.onEncoderFailure(error);
    });
  }
}

function fileSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
