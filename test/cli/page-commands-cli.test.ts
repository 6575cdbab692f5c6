import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btray, type CliResult, closeAll } from '../helpers/cli';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
const home = temp.home;
const work = join(home, 'work');
let fixtures: FixtureServer;

/** Runs the built CLI in the `work` folder, so relative paths mean something. */
function run(args: string[]): Promise<CliResult> {
  return btray(home, ['-s', 'cli', ...args], {}, work);
}

beforeAll(async () => {
  mkdirSync(work);
  fixtures = await startFixtureServer();
  const opened = await run(['open', fixtures.url('controls.html')]);
  expect(opened.code).toBe(0);
  await run(['state']);
});

afterAll(async () => {
  closeAll(home);
  await fixtures?.close();
  temp.remove();
});

describe('btray select, upload, get', () => {
  it('select and get value print what happened', async () => {
    const selected = await run(['select', '1', 'Apple']);
    expect(selected).toMatchObject({ code: 0, stderr: '' });
    expect(selected.stdout).toBe('Selected "Apple" (value "a") in element 1\n');
    expect((await run(['get', 'value', '1'])).stdout).toBe('a\n');
  });

  it('upload resolves a relative path against the working folder', async () => {
    writeFileSync(join(work, 'note.txt'), 'hello');
    const uploaded = await run(['upload', '3', 'note.txt']);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.stdout).toBe(
      `Uploaded ${join(work, 'note.txt')} (5 bytes) to the file input of element 3\n`,
    );
  });

  it('a usage mistake exits 2 before anything is sent', async () => {
    const result = await run(['get', 'text', 'zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('index must be a whole number from 1');
  });
});

describe('btray tab', () => {
  it('lists tabs from 0, and --json gives the daemon answer', async () => {
    const listed = await run(['tab', 'list']);
    expect(listed.stdout).toContain(`*0    ${fixtures.url('controls.html')}  Controls`);
    const json = JSON.parse((await run(['--json', 'tab', 'list'])).stdout) as {
      success: boolean;
      data: { tabs: Array<{ index: number }> };
    };
    expect(json.success).toBe(true);
    expect(json.data.tabs[0]?.index).toBe(0);
  });

  it('a bad tab number exits 1 with the range, a negative one exits 2', async () => {
    const bad = await run(['tab', 'close', '7']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Error: tab close: tab 7 is out of range (the only tab is 0); no tab was closed\n',
    );
    expect((await run(['tab', 'switch', '-1'])).code).toBe(2);
  });
});

describe('btray cookies', () => {
  it('export writes a relative file in the working folder; import reads it back', async () => {
    expect((await run(['cookies', 'set', 'k', 'v'])).code).toBe(0);
    const exported = await run(['cookies', 'export', 'jar.json']);
    expect(exported.stdout).toBe(`Exported 1 cookie to ${join(work, 'jar.json')}\n`);
    expect(existsSync(join(work, 'jar.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(work, 'jar.json'), 'utf8'))).toHaveLength(1);

    await run(['cookies', 'clear']);
    expect((await run(['cookies', 'get'])).stdout).toBe('No cookies\n');
    expect((await run(['cookies', 'import', 'jar.json'])).code).toBe(0);
    expect((await run(['cookies', 'get'])).stdout).toMatch(/^k=v {2}domain=127\.0\.0\.1/);
  });

  it('refuses an unknown --same-site before sending', async () => {
    const result = await run(['cookies', 'set', 'a', 'b', '--same-site', 'Sometimes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--same-site must be Strict, Lax or None');
  });

  it('refuses a --url that is not a full address, instead of finding no cookies', async () => {
    const result = await run(['cookies', 'get', '--url', 'notaurl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--url must be a full address');
  });
});

describe('btray wait', () => {
  it('exits 0 when found and 1 when the time is up, so scripts can chain on it', async () => {
    const found = await run(['wait', 'selector', 'h1']);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^Found "h1" visible after \d+ ms\n$/);

    const missing = await run(['wait', 'text', 'Never shown', '--timeout', '300']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: wait: text "Never shown" not found within 300 ms\n');
  });

  it('refuses an unknown --state and a bad --timeout with exit 2', async () => {
    expect((await run(['wait', 'selector', 'h1', '--state', 'shiny'])).code).toBe(2);
    expect((await run(['wait', 'selector', 'h1', '--timeout', 'soon'])).code).toBe(2);
  });
});
