import { statSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { TrayError } from '../../shared/errors';
import type { RecordingStatus, RecordingSummary } from '../../shared/recording';
import { DEFAULT_FRAMERATE, MAX_FRAMERATE, type Recorder } from '../browser/recorder';
import { defineCommand } from './command';

/** What the recorder writes: an MP4, whatever else the name says. */
const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v']);

/**
 * The file name must say MP4, so that what players guess from it is right, and a video
 * already there is kept unless the caller said to replace it. An empty file is no video:
 * the dashboard reserves its file name that way before it starts a recording.
 */
function checkVideoPath(path: string, overwrite: boolean): void {
  if (!VIDEO_EXTENSIONS.has(extname(path).toLowerCase())) {
    throw new TrayError(
      'BAD_REQUEST',
      `record start: ${path} must end in .mp4 (the recording is an H.264 MP4)`,
    );
  }
  if (fileSize(path) > 0 && !overwrite) {
    throw new TrayError(
      'FILE_ERROR',
      `record start: ${path} already exists; choose another name, or replace it with --overwrite`,
    );
  }
}

/**
 * 0 when nothing is there, or when the path cannot be looked at (a file where a folder
 * should be): the recorder's own check then names what is wrong with the folder.
 */
function fileSize(path: string): number {
  try {
    return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

export const recordCommand = defineCommand({
  action: 'record',
  params: z.object({
    record_command: z.enum(['start', 'stop', 'status']),
    path: z.string().min(1).optional(),
    /** Replace a video that is already at `path`; without it, one is never overwritten. */
    overwrite: z.boolean().default(false),
    framerate: z.coerce.number().int().min(1).max(MAX_FRAMERATE).default(DEFAULT_FRAMERATE),
  }),
  async run({ browser, recorder }, { record_command, path, overwrite, framerate }) {
    if (record_command !== 'start') return answerRecording(recorder, record_command);
    if (path === undefined) throw new TrayError('BAD_REQUEST', 'record start: path is required');
    if (!isAbsolute(path)) {
      throw new TrayError(
        'BAD_REQUEST',
        `record start: path must be absolute (the CLI resolves relative ones), got ${path}`,
      );
    }
    // Refused as a double start below, not as a file in the way.
    if (!recorder.isRecording) checkVideoPath(path, overwrite);
    const status = await recorder.start(browser.page, { path, framerate });
    return { ...status, _raw_text: `Recording to ${path} at ${framerate} fps` };
  },
  // stop and status belong to the session, not the page: they neither start a browser
  // nor wait behind a slow command.
  answerAtOnce: ({ recorder }, { record_command }) =>
    record_command === 'start' ? undefined : answerRecording(recorder, record_command),
});

async function answerRecording(recorder: Recorder, command: 'stop' | 'status'): Promise<unknown> {
  if (command === 'stop') {
    const summary = await recorder.stop();
    return { ...summary, _raw_text: describeSummary(summary) };
  }
  const status = recorder.status();
  if (!status) return { active: false, _raw_text: 'Not recording' };
  return { ...status, _raw_text: describeStatus(status) };
}

function describeSummary(summary: RecordingSummary): string {
  return [
    `Saved ${summary.path}`,
    `duration: ${summary.duration_s.toFixed(1)} s`,
    `frames: ${summary.frames}`,
    `size: ${formatBytes(summary.size_bytes)}`,
  ].join('\n');
}

function describeStatus(status: RecordingStatus): string {
  return [
    `Recording to ${status.path}`,
    `framerate: ${status.framerate} fps`,
    `elapsed: ${status.elapsed_s.toFixed(1)} s`,
    `frames: ${status.frames}`,
    `size: ${formatBytes(status.size_bytes)}`,
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
