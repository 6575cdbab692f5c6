import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BTRAY, btray, closeAll } from '../helpers/cli';
import { type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { makeTempHome } from '../helpers/temp-home';

const temp = makeTempHome();
const home = temp.home;
let fixtures: FixtureServer;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const opened = await btray(home, ['open', fixtures.url('form.html')]);
  expect(opened).toMatchObject({ code: 0, stderr: '' });
});

afterAll(async () => {
  closeAll(home);
  await fixtures?.close();
  temp.remove();
});

describe('usage', () => {
  it('prints help listing the commands, and exits 0', async () => {
    const help = await btray(home, ['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'open',
      'state',
      'click',
      'input',
      'eval',
      'sessions',
      'close',
      'daemon',
    ]) {
      expect(help.stdout).toContain(command);
    }
  });

  it('exits 2 on usage errors, naming what was wrong', async () => {
    const missing = await btray(home, ['click']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument/);

    const notIndex = await btray(home, ['click', 'abc']);
    expect(notIndex.code).toBe(2);
    expect(notIndex.stderr).toContain('index must be a whole number');

    const unknown = await btray(home, ['fly']);
    expect(unknown.code).toBe(2);

    const emptyUrl = await btray(home, ['open', '']);
    expect(emptyUrl.code).toBe(2);
    const negative = await btray(home, ['scroll', 'down', '--amount', '-100']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--amount must be a whole number from 1');

    // Help shown for want of a command is a usage error too; asked for, it is not.
    for (const args of [[], ['get'], ['eval', '1', '--timeout', '0'], ['keys', '']]) {
      expect((await btray(home, args)).code).toBe(2);
    }
    expect((await btray(home, ['help', 'get'])).code).toBe(0);

    const badName = await btray(home, ['--session', '../etc', 'state']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('may only contain letters');
    expect(existsSync(join(home, '..', 'etc.sock'))).toBe(false);
  });

  it('starts a session whose name begins with a dash, as its daemon reads it', async () => {
    const own = makeTempHome();
    try {
      const opened = await btray(own.home, ['-s', '-dash', 'open', fixtures.url('done.html')]);
      expect(opened).toMatchObject({ code: 0, stderr: '' });
      const closed = await btray(own.home, ['-s', '-dash', 'close']);
      expect(closed.stdout).toBe('Closed session "-dash".\n');
    } finally {
      closeAll(own.home);
      own.remove();
    }
  });

  it('says at once when the home folder cannot be made, a file in the way or under /proc', async () => {
    const file = join(home, 'a-file');
    writeFileSync(file, '');
    // Node 20's recursive mkdir spins for ever under /proc: this would hang, not fail.
    for (const [badHome, why] of [
      [join(file, 'home'), 'a file is in the way'],
      ['/proc/browser-tray-home', 'no folder can be made there'],
    ]) {
      const result = await btray(home, ['sessions'], { BROWSER_TRAY_HOME: badHome });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Cannot use ${badHome} as the Browser Tray home folder (${why})`,
      );
    }
  });
});

describe('output', () => {
  it('prints _raw_text as is, and the whole answer with --json', async () => {
    const state = await btray(home, ['state']);
    expect(state.code).toBe(0);
    expect(state.stdout).toMatch(
      /^url: http:\/\/127\.0\.0\.1:\d+\/form\.html\ntitle: Sign-up form\n/,
    );

    const json = await btray(home, ['--json', 'eval', '6 * 7']);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: true, data: { result: 42 } });
  });

  it('exits 1 on a command error with the message on stderr', async () => {
    const result = await btray(home, ['click', '999']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: No element 999');
    expect(result.stdout).toBe('');

    const json = await btray(home, ['--json', 'click', '999']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: false, code: 'NO_SUCH_ELEMENT' });
  });

  it('btray daemon says when its session is ready and when it stopped', async () => {
    const own = makeTempHome();
    const daemon = spawn(process.execPath, [BTRAY, '--session', 'fg', 'daemon'], {
      env: { ...process.env, BROWSER_TRAY_HOME: own.home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    daemon.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
    try {
      await expect.poll(() => stderr, { timeout: 15_000 }).toContain('Session "fg" is ready on');
      await btray(own.home, ['--session', 'fg', 'close']);
      expect(await exited).toBe(0);
      expect(stderr).toContain('Session "fg" stopped: a client asked for shutdown.');
    } finally {
      daemon.kill();
      own.remove();
    }
  });

  it('opens a local file named relative to the CLI working directory', async () => {
    const opened = await btray(home, ['open', 'form.html'], {}, join(__dirname, '..', 'fixtures'));
    expect(opened.stdout).toMatch(/^Opened file:\/\/\/.*\/test\/fixtures\/form\.html\n$/);
    expect((await btray(home, ['get', 'title'])).stdout).toBe('Sign-up form\n');
  });

  it('resolves a relative screenshot path against the CLI working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'btray-cwd-'));
    try {
      const result = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [BTRAY, 'screenshot', 'shot.png'], {
          cwd,
          env: { ...process.env, BROWSER_TRAY_HOME: home },
          stdio: 'ignore',
        });
        child.on('close', resolve);
      });
      expect(result).toBe(0);
      expect(existsSync(join(cwd, 'shot.png'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('sessions', () => {
  it('takes the session from BROWSER_TRAY_SESSION and lists sessions', async () => {
    const opened = await btray(home, ['open', fixtures.url('done.html')], {
      BROWSER_TRAY_SESSION: 'second',
    });
    expect(opened.code).toBe(0);
    const list = await btray(home, ['sessions']);
    expect(list.stdout).toMatch(/default\s+running/);
    expect(list.stdout).toMatch(/second\s+running\s+\d+\s+http:\/\/127\.0\.0\.1:\d+\/done\.html/);

    const json = await btray(home, ['--json', 'sessions']);
    const names = (
      JSON.parse(json.stdout) as { data: { sessions: Array<{ name: string }> } }
    ).data.sessions.map((s) => s.name);
    expect(names).toEqual(['default', 'second']);
  });

  it('refuses a running session whose requested configuration differs, naming the field and the fix', async () => {
    const result = await btray(home, ['--headed', 'state']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already running with headed=false');
    expect(result.stderr).toContain('btray --session default close');

    // An idle timeout it does not have is refused too, not silently ignored.
    const idle = await btray(home, ['--idle-timeout', '5', 'get', 'title']);
    expect(idle.code).toBe(1);
    expect(idle.stderr).toContain(
      'already running with an idle timeout of 1800 s, not --idle-timeout 5',
    );
    expect((await btray(home, ['--idle-timeout', '1800', 'get', 'title'])).code).toBe(0);
  });

  it('status of a session that is not running says so without starting one', async () => {
    const result = await btray(home, ['--session', 'nobody', 'status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Session "nobody" is not running');
    expect(existsSync(join(home, 'nobody.sock'))).toBe(false);
  });

  it('close and close --all stop sessions and say so', async () => {
    const one = await btray(home, ['--session', 'second', 'close']);
    expect(one.stdout).toContain('Closed session "second"');
    const again = await btray(home, ['--session', 'second', 'close']);
    expect(again.stdout).toContain('is not running');

    await btray(home, ['--session', 'third', 'open', 'about:blank']);
    const all = await btray(home, ['close', '--all']);
    expect(all.stdout).toContain('Closed session "default"');
    expect(all.stdout).toContain('Closed session "third"');
    const list = await btray(home, ['sessions']);
    expect(list.stdout).not.toMatch(/running/);

    const none = await btray(home, ['close', '--all']);
    expect(none).toMatchObject({ code: 0, stdout: 'No session was running.\n' });
  });

  it('a stray file in the home folder is no session, and breaks no listing', async () => {
    writeFileSync(join(home, 'bad name.state.json'), '{}');

    const list = await btray(home, ['sessions']);
    const all = await btray(home, ['close', '--all']);

    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).not.toContain('bad name');
    expect(all).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('a machine without Chromium', () => {
  it('says how to install one', async () => {
    const other = makeTempHome();
    try {
      const result = await btray(other.home, ['open', 'about:blank'], {
        BROWSER_TRAY_CHROME: '/nonexistent/chrome',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('BROWSER_TRAY_CHROME points to /nonexistent/chrome');

      const noPath = await btray(other.home, ['--session', 'nopath', 'open', 'about:blank'], {
        BROWSER_TRAY_CHROME: '',
        PATH: '/nonexistent',
      });
      expect(noPath.code).toBe(1);
      expect(noPath.stderr).toContain('apt-get install chromium');
    } finally {
      closeAll(other.home);
      other.remove();
    }
  });
});
