#!/usr/bin/env node
import './node20-navigator.js';
import { runCli } from './run.js';

void runCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
}).then((code) => {
  // exitCode, not exit(): pending writes to a pipe are flushed before the process ends.
  process.exitCode = code;
});
