import { run } from './run.js';
import { runnerIo } from './runner.js';

// run() never throws and reports failure through setFailed (exitCode), so the
// process ends on its own once the database connection is closed.
await run(runnerIo(), process.env);
