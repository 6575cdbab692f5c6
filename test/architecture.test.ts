import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folders are the architecture (DESIGN.md, "Layout"): this test reads every import
 * and fails on one that crosses a boundary.
 */
const ROOT = resolve(__dirname, '..');

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
    const specifier = match[3] as string;
    const target = specifier.startsWith('.')
      ? relative(ROOT, resolve(ROOT, dirname(file), specifier))
      : specifier;
    found.push({ file, target, typeOnly: match[2] !== undefined });
  }
  for (const match of text.matchAll(/require\(\s*'([^']+)'\s*\)/g)) {
    found.push({ file, target: match[1] as string, typeOnly: false });
  }
  return found;
}

const folder = (path: string): string => {
  if (path.startsWith('electron/')) {
    const [, sub] = path.split('/');
    return sub && ['daemon', 'browser', 'commands', 'host'].includes(sub)
      ? `electron/${sub}`
      : 'electron';
  }
  return path.split('/')[0] as string;
};

const isLocal = (target: string): boolean =>
  /^(shared|electron|renderer|cli|build|test|bench)(\/|$)/.test(target);

/** Which local folders each folder may import (values), as DESIGN.md's table says. */
const ALLOWED: Record<string, string[]> = {
  shared: ['shared'],
  'electron/browser': ['shared', 'electron/browser'],
  'electron/commands': ['shared', 'electron/browser', 'electron/commands'],
  'electron/daemon': ['shared', 'electron/browser', 'electron/commands', 'electron/daemon'],
  'electron/host': [
    'shared',
    'electron/browser',
    'electron/commands',
    'electron/daemon',
    'electron/host',
  ],
  electron: [
    'shared',
    'electron/browser',
    'electron/commands',
    'electron/daemon',
    'electron/host',
    'electron',
  ],
  renderer: ['shared', 'renderer'],
  cli: ['shared', 'electron/daemon', 'cli'],
};

/** Deliberate exceptions, each with its reason. */
function isException(entry: Import): boolean {
  // The logger's type is the one every layer receives; only the daemon creates loggers.
  if (entry.typeOnly && entry.target === 'electron/daemon/logger') return true;
  // `btray connect` finds a running Chrome before any daemon exists to ask.
  if (entry.file.startsWith('cli/') && entry.target === 'electron/browser/chrome-discovery')
    return true;
  return false;
}

const FILES = Object.keys(ALLOWED).flatMap((dir) =>
  dir === 'electron' ? sourceFiles('electron') : sourceFiles(dir),
);
const IMPORTS = [...new Set(FILES)].flatMap(importsOf);

describe('import boundaries', () => {
  it('every folder imports only the folders DESIGN.md allows', () => {
    // The scanner must see the imports at all for the check to mean anything.
    expect(IMPORTS.filter((entry) => isLocal(entry.target)).length).toBeGreaterThan(200);
    const crossings = IMPORTS.filter((entry) => isLocal(entry.target))
      .filter((entry) => !ALLOWED[folder(entry.file)]?.includes(folder(entry.target)))
      .filter((entry) => !isException(entry))
      .map((entry) => `${entry.file} -> ${entry.target}`);
    expect(crossings).toEqual([]);
  });

  it('only the Electron shell (electron/ top files) imports electron', () => {
    const users = IMPORTS.filter((entry) => entry.target === 'electron' && !entry.typeOnly).map(
      (entry) => entry.file,
    );
    expect(users.filter((file) => folder(file) !== 'electron')).toEqual([]);
    expect(users.length).toBeGreaterThan(0);
  });

  it('only the CDP connection imports chrome-remote-interface, only the encoder fluent-ffmpeg', () => {
    const of = (name: string) => [
      ...new Set(
        IMPORTS.filter((entry) => entry.target === name && !entry.typeOnly).map((e) => e.file),
      ),
    ];
    expect(of('chrome-remote-interface')).toEqual(['electron/browser/cdp-connection.ts']);
    expect(of('fluent-ffmpeg')).toEqual(['electron/browser/video-encoder.ts']);
  });
});
