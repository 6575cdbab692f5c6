import { spawnSync } from 'node:child_process';

/** What ffprobe says about a video file. */
export interface ProbedVideo {
  codec: string;
  pixFmt: string;
  width: number;
  height: number;
  durationS: number;
  /** ffprobe's stderr: empty when it read the file without complaint. */
  errors: string;
}

/** Reads a video with ffprobe; throws when ffprobe cannot read it at all. */
export function probeVideo(path: string): ProbedVideo {
  const run = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,pix_fmt,width,height:format=duration',
      '-of',
      'json',
      path,
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`ffprobe failed on ${path}: ${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as {
    streams: Array<{ codec_name: string; pix_fmt: string; width: number; height: number }>;
    format: { duration?: string };
  };
  const stream = parsed.streams[0];
  if (!stream) throw new Error(`ffprobe found no stream in ${path}`);
  return {
    codec: stream.codec_name,
    pixFmt: stream.pix_fmt,
    width: stream.width,
    height: stream.height,
    durationS: Number(parsed.format.duration ?? Number.NaN),
    errors: run.stderr.trim(),
  };
}

/** Decodes every frame (`-f null`) and returns ffmpeg's complaints: empty for a sound file. */
export function decodeErrors(path: string): string {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return `${run.status === 0 ? '' : `exit ${run.status}\n`}${run.stderr.trim()}`;
}

/** The average colour of the frame at `atS` seconds, as [r, g, b]. */
export function colourAt(path: string, atS: number): [number, number, number] {
  const run = spawnSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-ss', String(atS), '-i', path, '-frames:v', '1'],
      ...['-vf', 'scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    ],
    { maxBuffer: 1024 },
  );
  const [r = -1, g = -1, b = -1] = run.stdout;
  return [r, g, b];
}

/** Expects `actual` within `fraction` of `expected` (both seconds); returns a message or ''. */
export function durationProblem(actual: number, expected: number, fraction = 0.1): string {
  const off = Math.abs(actual - expected) / expected;
  return off <= fraction
    ? ''
    : `video lasts ${actual.toFixed(2)} s, recorded for ${expected.toFixed(2)} s (${Math.round(off * 100)}% off)`;
}
