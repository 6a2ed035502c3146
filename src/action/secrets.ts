import type { ActionIo } from './io.js';

/**
 * The same port with every text that leaves the process passed through
 * `redact`. The runner masks the log only; the comment, the summary and the
 * outputs are ours to keep clean.
 */
export function redacting(io: ActionIo, redact: (text: string) => string): ActionIo {
  return {
    getInput: io.getInput,
    setSecret: io.setSecret,
    setOutput: (name, value) => io.setOutput(name, redact(value)),
    info: (message) => io.info(redact(message)),
    annotate: (a) =>
      io.annotate({
        ...a,
        message: redact(a.message),
        ...(a.title !== undefined && { title: redact(a.title) }),
        ...(a.file !== undefined && { file: redact(a.file) }),
      }),
    writeSummary: (markdown) => io.writeSummary(redact(markdown)),
    setFailed: (message) => io.setFailed(redact(message)),
  };
}
