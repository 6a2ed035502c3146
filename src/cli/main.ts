#!/usr/bin/env node
import module from 'node:module';
import './node20-navigator.js';

// Node 22.1+ keeps V8's compiled code of the modules loaded from here on in a cache on disk (in the system's
// temporary directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later runs skip compiling pgshift's code.
// Older Node and Deno have no such function. The rest of the CLI is imported after the call, so that it is cached too.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

void import('./run.js')
  .then(({ runCli }) =>
    runCli(process.argv.slice(2), process.env, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      isTTY: process.stdout.isTTY === true,
    }),
  )
  .then((code) => {
    // exitCode, not exit(): pending writes to a pipe are flushed before the process ends.
    process.exitCode = code;
  });
