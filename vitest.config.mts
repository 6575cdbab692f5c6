import { defineConfig } from 'vitest/config';

// Tests drive real Chromium, ffmpeg and daemons: generous timeouts, and files in
// parallel only up to the two cores these machines have.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    globalSetup: ['test/global-setup.ts'],
  },
});
