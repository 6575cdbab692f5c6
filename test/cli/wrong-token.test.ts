import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btray, closeAll } from '../helpers/cli';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
const home = temp.home;
const tokenPath = join(home, 'default.token');
let realToken = '';

beforeAll(async () => {
  const opened = await btray(home, ['open', 'about:blank']);
  expect(opened.code).toBe(0);
  realToken = readFileSync(tokenPath, 'utf8');
});

afterAll(() => {
  // Put the real token back so the session can be closed.
  writeFileSync(tokenPath, realToken);
  closeAll(home);
  temp.remove();
});

describe('a token file that does not match the live daemon', () => {
  it('fails at once with the UNAUTHORIZED hint, not after the 30 s start deadline', async () => {
    writeFileSync(tokenPath, `${'0'.repeat(64)}\n`);

    const started = Date.now();
    const result = await btray(home, ['get', 'title']);
    const elapsedMs = Date.now() - started;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('token did not match');
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('close says the token is refused instead of "not running", and stops nothing', async () => {
    writeFileSync(tokenPath, `${'0'.repeat(64)}\n`);

    const result = await btray(home, ['close']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Session "default" answers but refuses the token');
    expect(result.stdout).not.toContain('not running');
    writeFileSync(tokenPath, realToken);
    expect((await btray(home, ['status'])).code).toBe(0);
  });
});
