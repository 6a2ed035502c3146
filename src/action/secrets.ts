import type { ActionIo } from './io.js';

/**
 * Replaces every form of every secret with `***`. The runner masks the log
 * only; the comment, the summary and the outputs are ours to keep clean.
 * JSON-escaped forms are covered too, since the status output is JSON.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a password inside the connection string does not leave the rest of it behind.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, secret) => (t.includes(secret) ? t.split(secret).join('***') : t), text);
}

/** The same port with every text that leaves the process passed through `redact`. */
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
