import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrayError } from '../../shared/errors';
import { LaunchedProcess } from './process-launcher';
import { makeTempProfile, removeTempProfile } from './temp-profiles';

export interface ChromeLaunchOptions {
  executable: string;
  headed: boolean;
  /** A user-data-dir to use as is (a real profile); otherwise a fresh temporary one. */
  userDataDir?: string;
  /** `--profile-directory` inside userDataDir. */
  profileDirectory?: string;
  windowSize?: { width: number; height: number };
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Flags a launcher script would have added (see `withoutLauncherScript`). */
  extraArgs?: readonly string[];
}

/**
 * What any Chromium needs to start promptly on a machine without a network, a GPU or a
 * user namespace for its sandbox (a CI container). The tests, the benchmark's peers and
 * the screenshot script launch their own browsers with these too.
 */
export const ESSENTIAL_CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Flags that keep Chromium quiet and quick on machines without a network or a GPU. */
const QUIET_FLAGS = [
  ...ESSENTIAL_CHROMIUM_FLAGS,
  '--no-default-browser-check',
  '--disable-default-apps',
  // No back-forward cache: `back` then waits for a real load, the same on every run.
  '--disable-features=Translate,MediaRouter,OptimizationHints,BackForwardCache',
  '--metrics-recording-only',
];

/**
 * Keep a throwaway profile away from the OS keychain. Never with a real profile: its
 * cookies and passwords are encrypted with the keychain's key, and would not decrypt.
 */
const TEMP_PROFILE_FLAGS = ['--password-store=basic', '--use-mock-keychain'];

const DEVTOOLS_LINE = /DevTools listening on (ws:\/\/\S+)/;

/** Google Chrome 136+ with its default user-data folder: it runs on, but without DevTools. */
const REFUSED_LINE = /DevTools remote debugging requires a non-default data directory/;

/** A Chromium we launched: its DevTools endpoint and how to end it. */
export class ChromeProcess {
  private closing: Promise<void> | undefined;

  constructor(
    readonly process: LaunchedProcess,
    readonly wsEndpoint: string,
    private readonly tempProfile: string | undefined,
  ) {}

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** True when we made its profile folder, which then goes away with it. */
  get hasTemporaryProfile(): boolean {
    return this.tempProfile !== undefined;
  }

  /** Kills the process group and removes a temporary profile. Safe to call twice. */
  close(graceMs = 2000): Promise<void> {
    this.closing ??= this.process.stop(graceMs).then(() => removeTempProfile(this.tempProfile));
    return this.closing;
  }

  /**
   * Like {@link close} but SIGKILL at once, without SIGTERM's graceful shutdown: for a
   * browser whose profile is thrown away anyway.
   */
  kill(): Promise<void> {
    this.closing ??= this.killGroup();
    return this.closing;
  }

  /**
   * Once SIGKILL is delivered no process of the group runs again, so the profile is removed
   * while the kernel tears them down: each takes tens of milliseconds, and `close` waits
   * for both.
   */
  private async killGroup(): Promise<void> {
    this.process.signal('SIGKILL');
    await Promise.all([this.process.exited, removeTempProfile(this.tempProfile)]);
  }
}

/**
 * Launches Chromium with a DevTools WebSocket on a free port. `--remote-debugging-pipe`
 * is given too, only as a lifeline: Chromium exits when its pipe closes, so it never
 * outlives a daemon that was killed with SIGKILL.
 */
export async function launchChrome(options: ChromeLaunchOptions): Promise<ChromeProcess> {
  const tempProfile = options.userDataDir ? undefined : makeTempProfile();
  const size = options.windowSize ?? { width: 1280, height: 720 };
  const args = [
    ...QUIET_FLAGS,
    ...(options.extraArgs ?? []),
    ...(options.userDataDir ? [] : TEMP_PROFILE_FLAGS),
    `--user-data-dir=${options.userDataDir ?? tempProfile}`,
    '--remote-debugging-port=0',
    '--remote-debugging-pipe',
    `--window-size=${size.width},${size.height}`,
    ...(options.profileDirectory ? [`--profile-directory=${options.profileDirectory}`] : []),
    ...(options.headed ? [] : ['--headless=new', '--hide-scrollbars', '--mute-audio']),
    'about:blank',
  ];

  let onEndpoint: (url: string) => void = () => undefined;
  let onRefused: () => void = () => undefined;
  const endpoint = new Promise<string>((resolve, reject) => {
    onEndpoint = resolve;
    onRefused = () =>
      reject(
        new TrayError(
          'BROWSER_START_FAILED',
          `${options.executable} refuses remote debugging on its default user-data folder ` +
            `${options.userDataDir} (Chrome 136+). Run that Chrome yourself with remote ` +
            'debugging turned on (chrome://inspect/#remote-debugging) and use `btray connect`.',
        ),
      );
  });
  let seen = '';
  const child = LaunchedProcess.start({
    command: options.executable,
    args,
    env: tempProfile ? withTempDirInside(tempProfile, options.env) : options.env,
    extraPipes: 2,
    onStderr: (chunk) => {
      seen = (seen + chunk.toString()).slice(-4096);
      const match = DEVTOOLS_LINE.exec(seen);
      if (match?.[1]) onEndpoint(match[1]);
      else if (REFUSED_LINE.test(seen)) onRefused();
    },
  });

  try {
    const wsEndpoint = await waitForEndpoint(child, endpoint, options.startTimeoutMs ?? 20_000);
    return new ChromeProcess(child, wsEndpoint, tempProfile);
  } catch (error) {
    await child.stop(500);
    await removeTempProfile(tempProfile);
    throw error;
  }
}

/**
 * On Linux, Chromium keeps its singleton socket in a folder of its own under TMPDIR
 * (`org.chromium.Chromium.XXXXXX`) and removes it only on a clean exit; a throwaway browser
 * is killed, so every session left one in /tmp. With TMPDIR inside the profile, the folder
 * goes with the profile. Limitation: not done on macOS, whose long TMPDIR would push the
 * socket's path past the 104 bytes a Unix socket name may have.
 */
function withTempDirInside(profile: string, env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const base = env ?? process.env;
  if (process.platform !== 'linux') return base;
  const tempDir = join(profile, 'tmp');
  mkdirSync(tempDir, { mode: 0o700 });
  return { ...base, TMPDIR: tempDir };
}

async function waitForEndpoint(
  child: LaunchedProcess,
  endpoint: Promise<string>,
  timeoutMs: number,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const failure = (reason: string) =>
    new TrayError('BROWSER_START_FAILED', `Chromium ${reason}.${tailNote(child)}`);

  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(failure(`printed no DevTools address within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const exited = child.exited.then((info) => {
    throw failure(`exited before it was ready (code ${info.code}, signal ${info.signal})`);
  });

  try {
    return await Promise.race([endpoint, timeout, exited]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => undefined);
  }
}

function tailNote(child: LaunchedProcess): string {
  const tail = child.stderrTail.text();
  return tail ? `\nLast lines from Chromium:\n${tail}` : '';
}
