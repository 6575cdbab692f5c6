import { join } from 'node:path';
import type { StatusData } from '../../shared/protocol';
import type { RecordingSummary } from '../../shared/recording';
import type { BenchContext, SessionClient } from '../context';
import { cpuSeconds, elapsedMs, listProcesses } from '../proc';
import { makeRow, type Row } from '../report';

const FRAMERATE = 30;

/**
 * A recording at 30 fps of the animated 1280x720 canvas: CPU seconds used per second of
 * recording by the daemon and its ffmpeg together, and by Chromium (all its processes).
 */
export async function measureRecording(
  context: BenchContext,
  client: SessionClient,
  seconds: number,
): Promise<Row[]> {
  await client.data('open', { url: context.pages.animatedUrl });
  const status = await client.data<StatusData>('status');
  const daemonPid = await client.pid();
  const browserPid = status.browser?.pid;
  if (!browserPid) throw new Error('the recording session has no browser pid');

  const path = join(context.scratch, 'bench-recording.mp4');
  await client.data('record', { record_command: 'start', path, framerate: FRAMERATE });
  const processes = await listProcesses();
  const ffmpeg = processes
    .filter((p) => p.ppid === daemonPid && p.comm === 'ffmpeg')
    .map((p) => p.pid);
  const chromium = processes.filter((p) => p.pgid === browserPid).map((p) => p.pid);
  if (ffmpeg.length === 0) throw new Error('no ffmpeg child of the daemon while recording');

  const ours = [daemonPid, ...ffmpeg];
  const started = process.hrtime.bigint();
  const oursBefore = await cpuSeconds(ours);
  const chromiumBefore = await cpuSeconds(chromium);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const oursUsed = (await cpuSeconds(ours)) - oursBefore;
  const chromiumUsed = (await cpuSeconds(chromium)) - chromiumBefore;
  const wallS = elapsedMs(started) / 1000;

  const summary = await client.data<RecordingSummary>('record', { record_command: 'stop' });
  const fps = summary.frames / summary.duration_s;
  const note =
    `${summary.duration_s.toFixed(1)} s of video, ${summary.frames} frames ` +
    `(${fps.toFixed(1)} fps), ${(summary.size_bytes / 1024 / 1024).toFixed(1)} MiB`;
  return [
    makeRow(
      'record.cpu',
      `recording ${FRAMERATE} fps 1280x720: daemon + ffmpeg CPU`,
      'cpu s/s',
      [oursUsed / wallS],
      note,
    ),
    makeRow('record.chromium', `recording ${FRAMERATE} fps 1280x720: Chromium CPU`, 'cpu s/s', [
      chromiumUsed / wallS,
    ]),
  ];
}
