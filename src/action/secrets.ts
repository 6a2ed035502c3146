import { PgshiftError } from '../index.js';
import type { ActionIo } from './io.js';
import { code, text } from './markdown.js';

/**
 * The secrets as the comment and the summary could write them: also as
 * Markdown-escaped text and code. Everything in them is redacted before it is
 * escaped; this catches whatever was not.
 */
export function markdownForms(secrets: readonly string[]): string[] {
  return secrets.flatMap((s) => [s, text(s), code(s).slice('<code>'.length, -'</code>'.length)]);
}

/**
 * A copy of plain data (a report, a problem) with `redact` applied to every
 * string in it, at any depth; a PgshiftError is rebuilt from its redacted
 * problems. Other objects (dates) are kept as they are.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof PgshiftError) {
      return new PgshiftError(walk(v.problems) as PgshiftError['problems'], { message: redact(v.message) });
    }
    if (v === null || typeof v !== 'object') return v;
    const prototype = Object.getPrototypeOf(v) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return v;
    return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, walk(inner)]));
  };
  return walk(value) as T;
}

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
