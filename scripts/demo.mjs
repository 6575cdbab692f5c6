// The main job end to end, as a user runs it: a session daemon keeps a headless
// Chromium open while `btray` commands drive a bundled local form page.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Asynchronous on purpose: this process also serves the page the browser loads.
const execFileAsync = promisify(execFile);

const root = join(import.meta.dirname, '..');
const btray = join(root, 'dist', 'btray.cjs');
const session = 'demo';

const server = createServer((request, response) => {
  const name =
    new URL(request.url ?? '/', 'http://x').pathname === '/done.html' ? 'done.html' : 'form.html';
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(readFileSync(join(root, 'test', 'fixtures', name)));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/form.html`;

async function run(...args) {
  const shown = args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
  const started = performance.now();
  try {
    const { stdout } = await execFileAsync(process.execPath, [
      btray,
      '--session',
      session,
      ...args,
    ]);
    console.log(`\n$ btray ${shown}   (${(performance.now() - started).toFixed(0)} ms)`);
    process.stdout.write(stdout);
    return stdout;
  } catch (error) {
    console.log(`\n$ btray ${shown}`);
    process.stderr.write(error.stderr ?? String(error));
    throw new Error(`btray ${args[0]} failed`);
  }
}

/** The index `state` printed for the first line containing `needle`. */
function indexOf(state, needle) {
  const line = state.split('\n').find((candidate) => candidate.includes(needle));
  return /\[(\d+)\]/.exec(line ?? '')?.[1];
}

try {
  await run('open', url);
  const state = await run('state');
  await run('input', indexOf(state, 'First name'), 'Ada');
  await run('click', indexOf(state, '>Greet<'));
  await run('eval', 'document.getElementById("out").textContent');
  await run('eval', '1+1');
  await run('get', 'title');
  await run('screenshot', join(root, 'dist', 'demo.png'));
  await run('sessions');
  console.log(
    '\nThe browser stayed open between commands; each answered through the session socket.',
  );
} finally {
  await run('close');
  server.close();
}
