#!/usr/bin/env node
// pgshift's benchmark: apply N migrations, the no-op run, status over many
// files, start-up and the action bundle; against psql and a Node + pg floor
// and the peer tools, interleaved over several rounds. `npm run bench` from
// the repository root (it builds first); `node bench/run.mjs --help`.
// This file checks the settings and the bench's own dependencies (installing
// them on first use); lib/main.mjs does the run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE } from './lib/options.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const log = (text) => process.stderr.write(`${text}\n`);

let settings;
try {
  settings = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  log(`bench: ${error.message}`);
  process.exit(2);
}
if (settings.help) {
  console.log(USAGE);
  process.exit(0);
}
// --noop-only runs pgshift and the Node + pg floor alone: the root's pg serves the floor.
if (!settings.noopOnly && !existsSync(join(benchDir, 'node_modules', 'pg'))) {
  // Its own dependencies, kept out of the root package's; none needs an install script.
  log('bench: installing its dependencies (cd bench && npm install)…');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: benchDir, stdio: ['ignore', 2, 2] });
  if (npm.status !== 0) {
    log('bench: npm install failed in bench/; run it there by hand and try again');
    process.exit(2);
  }
}

const { main } = await import('./lib/main.mjs');
await main(settings);
