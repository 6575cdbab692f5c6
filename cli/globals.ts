import type { Command } from 'commander';
import { resolveHome } from '../electron/daemon/paths';
import { DEFAULT_SESSION, sessionNameProblem } from '../shared/session-name';
import { CliError, EXIT } from './exit-codes';

/** The options every command shares, read once from the command line and environment. */
export interface GlobalOptions {
  session: string;
  home: string;
  json: boolean;
  /** Only what the user asked for explicitly; undefined means "whatever is running". */
  headed: boolean | undefined;
  profile: string | undefined;
  cdpUrl: string | undefined;
  idleTimeoutS: number | undefined;
}

interface RawGlobals {
  session?: string;
  json?: boolean;
  headed?: boolean;
  profile?: string;
  cdpUrl?: string;
  idleTimeout?: string;
}

export function readGlobals(command: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const raw = command.optsWithGlobals<RawGlobals>();
  const session = raw.session ?? env.BROWSER_TRAY_SESSION ?? DEFAULT_SESSION;
  const problem = sessionNameProblem(session);
  if (problem) throw new CliError(`--session: ${problem}`, EXIT.usage);

  let idleTimeoutS: number | undefined;
  if (raw.idleTimeout !== undefined) {
    idleTimeoutS = Number(raw.idleTimeout);
    if (!Number.isFinite(idleTimeoutS) || idleTimeoutS <= 0) {
      throw new CliError(
        `--idle-timeout must be a positive number of seconds, got ${raw.idleTimeout}`,
        EXIT.usage,
      );
    }
  }

  return {
    session,
    home: resolveHome(env),
    json: raw.json ?? false,
    headed: raw.headed,
    profile: raw.profile,
    cdpUrl: raw.cdpUrl,
    idleTimeoutS,
  };
}
