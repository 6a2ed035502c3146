#!/usr/bin/env node
// Builds one ncc bundle and finishes it: `node scripts/bundle.mjs src/cli/main.ts dist/cli`.
//
// 1. The chunks of the previous build (<id>.index.js) are removed first: ncc writes over its
//    output directory without emptying it (the action's, dist/, holds the CLI's dist/cli), and
//    a chunk id the new build no longer makes would otherwise stay behind, shipped and stale.
// 2. ncc, as before: one entry file, minified, TypeScript transpiled only (tsc checks types).
// 3. ncc's --minify runs terser on the entry file alone; the chunks its import()s split off
//    (each CLI command's code, the driver, the parser's loader, the GitHub client) stay as
//    webpack wrote them, comments and all, and Node parses every byte of a chunk it loads.
//    They get what ncc gives the entry: white space and comments out, local names shortened,
//    function and class names kept (ncc's terser: compress off, keep_classnames, keep_fnames),
//    licence comments and the ESM exports untouched.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const [entry, out] = process.argv.slice(2);
if (!entry || !out) {
  process.stderr.write('usage: node scripts/bundle.mjs <entry .ts> <output directory>\n');
  process.exit(2);
}
const chunks = () => {
  try {
    return readdirSync(out).filter((n) => /^\d+\.index\.js$/.test(n));
  } catch {
    return [];
  }
};

for (const name of chunks()) rmSync(join(out, name));

const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
const built = spawnSync(
  process.execPath,
  [ncc, 'build', entry, '-o', out, '--minify', '--no-source-map-register', '--transpile-only', '-q'],
  {
    stdio: 'inherit',
  },
);
if (built.status !== 0) process.exit(built.status ?? 1);

for (const name of chunks()) {
  const path = join(out, name);
  const { code } = transformSync(readFileSync(path, 'utf8'), {
    format: 'esm',
    target: 'node20',
    minifyWhitespace: true,
    minifyIdentifiers: true,
    keepNames: true,
    legalComments: 'inline',
  });
  writeFileSync(path, code);
}
