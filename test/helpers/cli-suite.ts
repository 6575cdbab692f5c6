import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeAll } from './cli';
import { type FixtureServer, startFixtureServer } from './fixture-server';
import { makeTempHome } from './temp-home';

/** What a suite of CLI tests with a home folder per test shares. */
export interface CliSuite {
  readonly fixtures: FixtureServer;
  /** A fresh home folder; its sessions are closed and the folder removed after the test. */
  newHome(): string;
}

/** Registers the hooks: the fixture server for the suite, and clean-up after each test. */
export function registerCliSuite(prefix = 'btray-test-'): CliSuite {
  const homes: Array<{ home: string; remove(): void }> = [];
  let fixtures: FixtureServer | undefined;

  beforeAll(async () => {
    fixtures = await startFixtureServer();
  });

  afterEach(() => {
    for (const temp of homes.splice(0)) {
      closeAll(temp.home);
      temp.remove();
    }
  });

  afterAll(async () => {
    await fixtures?.close();
  });

  return {
    get fixtures() {
      if (!fixtures) throw new Error('the fixture server starts in beforeAll');
      return fixtures;
    },
    newHome() {
      const temp = makeTempHome(prefix);
      homes.push(temp);
      return temp.home;
    },
  };
}
