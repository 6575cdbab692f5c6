import { existsSync } from 'node:fs';

/** The suite runs the built CLI and daemon bundles as a user would: they must exist. */
export default function setup(): void {
  for (const file of ['dist/btray.cjs', 'dist/daemon.cjs']) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`npm run build\` (npm test does it first).`);
  }
}
