// Bundles every Node entry point into one CommonJS file each (CJS: several dependencies
// break as ESM bundles), and the dashboard with Vite. `--no-renderer` skips the latter.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

// chrome-remote-interface reads its bundled 1 MB protocol description only for `local: true`,
// which we never ask for (see electron/browser/cdp-connection.ts): an empty one takes its
// place, so the daemon neither parses nor holds it.
const withoutCdpProtocolFile = {
  name: 'without-cdp-protocol-file',
  setup(build) {
    build.onResolve({ filter: /^\.\/protocol\.json$/ }, (args) =>
      args.importer.includes('chrome-remote-interface')
        ? { path: args.path, namespace: 'cdp-protocol-stub' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'cdp-protocol-stub' }, () => ({
      contents: '{"domains":[]}',
      loader: 'json',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [withoutCdpProtocolFile],
};

const entries = [
  // The CLI stays free of heavy imports: the daemon lives in its own bundle.
  { in: 'cli/btray.ts', out: 'dist/btray.cjs', codeCache: true },
  { in: 'electron/daemon/headless-entry.ts', out: 'dist/daemon.cjs' },
  { in: 'electron/host/dashboard-entry.ts', out: 'dist/dashboard.cjs' },
  { in: 'electron/main.ts', out: 'dist/main.cjs', external: ['electron'] },
  { in: 'electron/preload.ts', out: 'dist/preload.cjs', external: ['electron'] },
  { in: 'bench/bench.ts', out: 'dist/bench.cjs' },
];

for (const entry of entries) {
  if (!existsSync(entry.in)) continue;
  await build({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    external: entry.external ?? [],
    banner: entry.banner ? { js: entry.banner } : undefined,
  });
  if (entry.codeCache) wrapWithCodeCache(entry.out);
}

/**
 * Puts the bundle inside scripts/cli-loader.cjs, which compiles it through a V8 code
 * cache (see there why), and removes the caches of earlier builds.
 */
function wrapWithCodeCache(out) {
  const bundle = readFileSync(out, 'utf8');
  const id = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  const loader = readFileSync('scripts/cli-loader.cjs', 'utf8')
    .replace("'__BUNDLE_ID__'", JSON.stringify(id))
    .replace("'__BUNDLE_SOURCE__'", () => JSON.stringify(bundle));
  writeFileSync(out, loader, { mode: 0o755 });
  for (const file of readdirSync(dirname(out))) {
    if (file.startsWith(`${basename(out)}.`) && file.endsWith('.v8cache')) {
      rmSync(join(dirname(out), file), { force: true });
    }
  }
}

if (!process.argv.includes('--no-renderer') && existsSync('renderer/index.html')) {
  const vite = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
