import type { ActionIo } from './io.js';

/**
 * The same port with every text that leaves the process passed through
 * `redact` (the summary through `redactSummary`). The runner masks the log
 * only; the comment, the summary and the outputs are ours to keep clean.
 * No line of the log may start a workflow command: a migration's name or a
 * server message quoting it could hold a newline followed by `::error::...`.
 */
export function redacting(io: ActionIo, redact: (text: string) => string, redactSummary: (text: string) => string = redact): ActionIo {
  return {
    getInput: io.getInput,
    setSecret: io.setSecret,
    setOutput: (name, value) => io.setOutput(name, redact(value)),
    info: (message) => io.info(defang(redact(message))),
    annotate: (a) =>
      io.annotate({
        ...a,
        message: redact(a.message),
        ...(a.title !== undefined && { title: redact(a.title) }),
        ...(a.file !== undefined && { file: redact(a.file) }),
      }),
    writeSummary: (markdown) => io.writeSummary(redactSummary(markdown)),
    setFailed: (message) => io.setFailed(redact(message)),
  };
}

/** Every line that would start a workflow command (`::name ...::`) gets a space between its colons. */
export function defang(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, '$1: ');
}
