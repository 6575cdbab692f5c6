import type { ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { errorMessage, TrayError } from '../../shared/errors';
import type { Logger } from '../daemon/logger';
import { withDeadline } from './deadline';
import { OutputTail } from './process-launcher';

const INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg, macOS: brew install ffmpeg) ' +
  'or set BROWSER_TRAY_FFMPEG to the path of an ffmpeg executable.';

/** How long fluent-ffmpeg may take to check ffmpeg's abilities and spawn it. */
const SPAWN_TIMEOUT_MS = 20_000;

/** How long a new encoder may take to write the file's first bytes. */
const FIRST_BYTES_TIMEOUT_MS = 20_000;

export interface VideoEncoderOptions {
  ffmpegPath: string;
  /** The MP4 to write; its folder was checked with {@link prepareOutputFile}. */
  path: string;
  framerate: number;
  /** The video's size; odd values are rounded down to even ones (x264 needs them). */
  width: number;
  height: number;
  log: Logger;
}

/** How ffmpeg ended. */
export interface EncoderExit {
  ok: boolean;
  /** fluent-ffmpeg's reason when not ok ("ffmpeg exited with code 1", a spawn error). */
  reason?: string;
}

/** fluent-ffmpeg's internal spawn step, which we wrap to pass spawn options it does not offer. */
type SpawnStep = (
  args: string[],
  options: Record<string, unknown>,
  processCallback?: (child: ChildProcess, ...rings: unknown[]) => void,
  endCallback?: (...results: unknown[]) => void,
) => void;

/**
 * Finds the ffmpeg executable: the configured one (`BROWSER_TRAY_FFMPEG`), else `ffmpeg`
 * on PATH. Throws `FFMPEG_NOT_FOUND` saying how to install it.
 */
export function findFfmpeg(configured: string | null, env: NodeJS.ProcessEnv): string {
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new TrayError(
      'FFMPEG_NOT_FOUND',
      `ffmpeg not found: BROWSER_TRAY_FFMPEG is ${configured}, which is not an executable file. ` +
        INSTALL_HINT,
    );
  }

  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    for (const name of names) {
      const candidate = join(folder, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new TrayError('FFMPEG_NOT_FOUND', `ffmpeg was not found on PATH. ${INSTALL_HINT}`);
}

/**
 * Creates (or empties) the output file now, so that a folder we cannot write to is a clear
 * `FILE_ERROR` before anything starts. The caller removes it if the recording never starts.
 */
export function prepareOutputFile(path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a folder');
    closeSync(openSync(path, 'w'));
  } catch (error) {
    throw new TrayError(
      'FILE_ERROR',
      `record: cannot write the video to ${path}: ${errorMessage(error)}. ` +
        'Choose a path in a folder that exists and that you can write to.',
      { cause: error },
    );
  }
}

/** Removes an output file that holds no video, logging rather than failing. */
export function removeOutputFile(path: string, log: Logger): void {
  try {
    rmSync(path, { force: true });
  } catch (error) {
    log.warn({ path, err: errorMessage(error) }, 'could not remove an empty video file');
  }
}

/**
 * One ffmpeg process turning JPEG frames into an H.264 MP4, through fluent-ffmpeg. The
 * file is fragmented as it is written (a fragment per second, flushed at once), so a
 * SIGKILL or a power cut leaves it playable up to its last second; {@link finish} ends
 * the input and lets ffmpeg write the index. ffmpeg is never killed: a killed ffmpeg
 * would drop the last fragment and the index.
 */
export class VideoEncoder {
  readonly stderrTail = new OutputTail(20);
  /** Resolves once ffmpeg has exited, however that came about. */
  readonly exited: Promise<EncoderExit>;
  private readonly input = new PassThrough();
  private exitResult: EncoderExit | undefined;
  private settle: (result: EncoderExit) => void = () => undefined;
  private child: ChildProcess | undefined;

  private readonly log: Logger;

  private constructor(private readonly options: VideoEncoderOptions) {
    this.log = options.log;
    this.exited = new Promise((resolve) => {
      this.settle = (result) => {
        if (this.exitResult) return;
        this.exitResult = result;
        resolve(result);
      };
    });
  }

  /** Spawns ffmpeg; resolves once it runs, or throws `RECORDER_FAILED`. */
  static async open(options: VideoEncoderOptions): Promise<VideoEncoder> {
    const encoder = new VideoEncoder(options);
    // Before the spawn, fluent-ffmpeg runs ffmpeg to list its formats and encoders (once
    // per process): an ffmpeg that hangs there must not hang the start.
    try {
      await withDeadline(
        encoder.spawn(),
        SPAWN_TIMEOUT_MS,
        () =>
          new TrayError(
            'RECORDER_FAILED',
            `ffmpeg did not start within ${SPAWN_TIMEOUT_MS / 1000} s`,
          ),
      );
    } catch (error) {
      encoder.abandon();
      throw error;
    }
    return encoder;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Bytes written to ffmpeg's input that it has not read yet. */
  get backlogBytes(): number {
    return this.input.writableLength + (this.child?.stdin?.writableLength ?? 0);
  }

  /** Queues one JPEG frame; frames after ffmpeg exited are dropped. */
  write(frame: Buffer): void {
    if (this.exitResult || this.input.writableEnded) return;
    this.input.write(frame);
  }

  /**
   * Waits until ffmpeg has written the start of the file, which proves it took the first
   * frames. Throws `RECORDER_FAILED` with its last lines if it exits first.
   */
  async waitForFirstBytes(): Promise<void> {
    const deadline = Date.now() + FIRST_BYTES_TIMEOUT_MS;
    while (!this.exitResult) {
      if ((statSync(this.options.path, { throwIfNoEntry: false })?.size ?? 0) > 0) return;
      if (Date.now() > deadline) {
        throw new TrayError(
          'RECORDER_FAILED',
          `ffmpeg wrote nothing to ${this.options.path} within ${FIRST_BYTES_TIMEOUT_MS / 1000} s` +
            this.tailNote(),
        );
      }
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 25))]);
    }
    throw this.failure('ffmpeg stopped as the recording started');
  }

  /**
   * Ends ffmpeg's input and waits, with no time limit, for it to write the index and
   * exit. Throws `RECORDER_FAILED` if ffmpeg failed.
   */
  async finish(): Promise<void> {
    if (!this.input.writableEnded) this.input.end();
    const result = await this.exited;
    if (!result.ok) throw this.failure('ffmpeg failed while finishing the video');
  }

  /**
   * Gives up on an encoder that never started properly: its input ends so that a late
   * ffmpeg stops at once, and the empty file it may have made is removed once it exits.
   */
  abandon(): void {
    if (!this.input.writableEnded) this.input.end();
    void this.exited.then(() => {
      if ((statSync(this.options.path, { throwIfNoEntry: false })?.size ?? 1) === 0)
        removeOutputFile(this.options.path, this.log);
    });
  }

  /** The error for an ffmpeg that ended badly, with its last stderr lines. */
  failure(what: string): TrayError {
    const reason = this.exitResult?.reason ? ` (${this.exitResult.reason.split('\n')[0]})` : '';
    return new TrayError('RECORDER_FAILED', `${what}${reason}.${this.tailNote()}`);
  }

  private tailNote(): string {
    const tail = this.stderrTail.text();
    return tail ? `\nLast lines from ffmpeg:\n${tail}` : '';
  }

  private spawn(): Promise<void> {
    const command = this.buildCommand();
    this.detachSpawns(command);

    return new Promise((resolve, reject) => {
      command.on('start', (commandLine: string) => {
        this.log.info({ commandLine, pid: this.pid }, 'ffmpeg started');
        resolve();
      });
      command.on('stderr', (line: string) => this.stderrTail.push(`${line}\n`));
      command.on('end', () => {
        this.log.info({ path: this.options.path }, 'ffmpeg finished the video');
        this.settle({ ok: true });
      });
      command.on('error', (error: Error) => {
        this.log.warn({ err: error.message.split('\n')[0] }, 'ffmpeg ended with an error');
        this.settle({ ok: false, reason: error.message });
        reject(this.failure('ffmpeg could not start'));
      });
      command.run();
    });
  }

  private buildCommand(): ffmpeg.FfmpegCommand {
    const { framerate } = this.options;
    const width = evenDown(this.options.width);
    const height = evenDown(this.options.height);
    const gop = String(Math.max(1, Math.round(framerate)));

    return (
      ffmpeg({ stdoutLines: 50 })
        .input(this.input)
        .inputFormat('image2pipe')
        .inputOptions([
          // The frames are JPEGs from the screencast, one per tick of our constant clock.
          ...['-c:v', 'mjpeg', '-framerate', String(framerate)],
          // Start decoding at once instead of buffering seconds of input to probe it.
          ...['-probesize', '32', '-analyzeduration', '0'],
          ...['-threads', '1'],
        ])
        // A fixed, even output size: frames of another size (a resized window, another
        // tab) are scaled to fit and padded rather than breaking the encoder. JPEG is full
        // range; saying so lets the scaler take its quick path to limited-range yuv420p.
        .videoFilters(
          `scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=fast_bilinear` +
            `:in_range=full:out_range=limited,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,` +
            'format=yuv420p',
        )
        .videoCodec('libx264')
        .outputOptions([
          // Players everywhere: H.264 in 4:2:0.
          ...['-pix_fmt', 'yuv420p', '-preset', 'ultrafast', '-tune', 'zerolatency'],
          // One keyframe, hence one fragment, per second.
          ...['-g', gop, '-keyint_min', gop, '-threads', '1'],
          // Fragmented while it is written and flushed per packet: a crash loses at most the
          // fragment in progress; a clean end adds the index (mfra).
          ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-flush_packets', '1'],
          ...['-nostats', '-loglevel', 'error'],
        ])
        .format('mp4')
        .output(this.options.path)
    );
  }

  /**
   * fluent-ffmpeg (archived at 2.1.3) offers no spawn options, so its spawn step is wrapped
   * for this command: ffmpeg gets its own session and process group, out of reach of the
   * signals a terminal sends to ours (Ctrl+C, a closed window). When we die, ffmpeg sees
   * its input end and finishes the file by itself. The path is set right before each
   * spawn because fluent-ffmpeg keeps it in a module-wide cache.
   */
  private detachSpawns(command: ffmpeg.FfmpegCommand): void {
    const target = command as unknown as { _spawnFfmpeg: SpawnStep };
    const original = target._spawnFfmpeg;
    const ffmpegPath = this.options.ffmpegPath;
    target._spawnFfmpeg = (args, options, processCallback, endCallback) => {
      command.setFfmpegPath(ffmpegPath);
      const detached = { ...options, detached: process.platform !== 'win32' };
      // The capability probes (-formats, -encoders) pass (args, options, endCallback).
      if (endCallback === undefined) {
        original.call(command, args, detached, processCallback);
        return;
      }
      const onProcess: typeof processCallback = (child, ...rings) => {
        this.child = child;
        processCallback?.(child, ...rings);
      };
      original.call(command, args, detached, onProcess, endCallback);
    };
  }
}

function evenDown(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
