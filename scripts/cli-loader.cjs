#!/usr/bin/env node
'use strict';
// The btray CLI, compiled through a V8 code cache. Node 20 has no compile cache of its own
// (module.enableCompileCache arrived in 22.1), and compiling the bundle was about a fifth
// of a warm command's start-up. scripts/build.mjs fills in the two constants below. The
// cache sits next to this file, named after the bundle's hash and the V8 version; where
// the folder is read-only (an installed app) the bundle is simply compiled every time.
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const BUNDLE_ID = '__BUNDLE_ID__';
const BUNDLE = '__BUNDLE_SOURCE__';

const cacheFile = `${__filename}.${BUNDLE_ID}.${process.versions.v8}.v8cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet: this run compiles the bundle and writes one.
}

const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${BUNDLE}\n})`,
  { filename: __filename, cachedData },
);
if (cachedData === undefined || script.cachedDataRejected) {
  // At exit, so that the functions this run compiled are in the cache too.
  process.once('exit', () => {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // A read-only folder: run without a cache, as before.
      rmSync(temp, { force: true });
    }
  });
}
script.runInThisContext()(exports, require, module, __filename, __dirname);
