import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDaemon } from '../../electron/daemon/session-daemon';
import type { StatusData } from '../../shared/protocol';
import { startInProcessDaemon } from '../helpers/in-process-daemon';
import { request, requestData } from '../helpers/session-client';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
let daemon: SessionDaemon;

beforeAll(async () => {
  daemon = await startInProcessDaemon(temp.home, 'rec');
});

afterAll(async () => {
  await daemon?.requestShutdown('suite finished');
  temp.remove();
});

describe('record stop and status belong to the session', () => {
  it('answer without starting a browser', async () => {
    const status = await requestData<{ active: boolean }>(temp.home, 'rec', 'record', {
      record_command: 'status',
    });
    expect(status.active).toBe(false);
    const stop = await request(temp.home, 'rec', 'record', { record_command: 'stop' });
    expect(stop.success).toBe(false);

    const session = await requestData<StatusData>(temp.home, 'rec', 'status');
    expect(session.browser).toBeNull();
    expect(session.phase).toBe('ready');
  });

  it('answer at once while a slow browser command runs', async () => {
    const slow = request(temp.home, 'rec', 'eval', {
      js: 'new Promise((resolve) => setTimeout(resolve, 5000))',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = Date.now();
    await requestData(temp.home, 'rec', 'record', { record_command: 'status' });
    // A status queued behind the command would wait its remaining 3.5 s.
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await slow).success).toBe(true);
  });
});
