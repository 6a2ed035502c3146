import * as core from '@actions/core';
import type { ActionIo } from './io.js';

/** The one place that talks to the runner through `@actions/core`. */
export function runnerIo(): ActionIo {
  return {
    getInput: (name) => core.getInput(name),
    setSecret: (value) => core.setSecret(value),
    setOutput: (name, value) => core.setOutput(name, value),
    info: (message) => core.info(message),
    annotate: ({ level, message, title, file, line, column }) => {
      const properties = {
        ...(title !== undefined && { title }),
        ...(file !== undefined && { file }),
        ...(line !== undefined && { startLine: line }),
        ...(line !== undefined && column !== undefined && { startColumn: column }),
      };
      if (level === 'error') core.error(message, properties);
      else if (level === 'warning') core.warning(message, properties);
      else core.notice(message, properties);
    },
    writeSummary: async (markdown) => {
      // Outside a runner (a local try-out) there is no summary file: nothing to write.
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    setFailed: (message) => core.setFailed(message),
  };
}
