/**
 * What the action needs from the runner, as a port: `runner.ts` fills it
 * with `@actions/core`, so everything else stays free of it and testable.
 */

/** An annotation on a file and line, shown in the pull request's diff and the run's page. */
export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly title?: string;
  /** Relative to the repository root, forward slashes, as GitHub expects. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ActionIo {
  /** The input's value, trimmed; '' when not given. */
  readonly getInput: (name: string) => string;
  /** Tells the runner to mask this value in the log from now on. */
  readonly setSecret: (value: string) => void;
  readonly setOutput: (name: string, value: string) => void;
  readonly info: (message: string) => void;
  readonly annotate: (annotation: Annotation) => void;
  /** Appends Markdown to the job summary; a no-op where there is none. */
  readonly writeSummary: (markdown: string) => Promise<void>;
  /** Marks the step failed (exit code 1) without ending the process. */
  readonly setFailed: (message: string) => void;
}
