/**
 * One shape for everything pgshift reports: a bad file name, a parse error,
 * an edited applied file, a failed statement, a lock wait given up. Commands
 * that only look (status, plan, validate) return every Problem they find;
 * commands that act (migrate, rollback) refuse to start while an error-level
 * one exists, and report a failure as a {@link PgshiftError} carrying them.
 */

import type { RuleName } from './lint/registry.js';
import type { Family } from './lint/rule.js';

export type ProblemCode =
  // the request itself (options, arguments, inputs)
  | 'USAGE'
  | 'INVALID_OPTION'
  | 'INVALID_TABLE_NAME'
  // the migrations directory and its files
  | 'DIR_NOT_FOUND'
  | 'DIR_NOT_A_DIRECTORY'
  | 'DIR_UNREADABLE'
  | 'INVALID_FILE_NAME'
  | 'DUPLICATE_VERSION'
  | 'FILE_UNREADABLE'
  | 'INVALID_ENCODING'
  | 'INVALID_SECTIONS'
  | 'EMPTY_MIGRATION'
  | 'UNTERMINATED_SQL'
  | 'SYNTAX_ERROR'
  | 'TRANSACTION_CONTROL'
  | 'NEEDS_NO_TRANSACTION'
  | 'PSQL_META_COMMAND'
  | 'UNSUPPORTED_SQL'
  | 'INVALID_NAME'
  | 'FILE_EXISTS'
  | 'WRITE_FAILED'
  // the files set against the tracking table
  | 'CHECKSUM_MISMATCH'
  | 'MISSING_FILE'
  | 'NAME_MISMATCH'
  | 'NO_DOWN_SECTION'
  | 'OUT_OF_ORDER'
  | 'TRACKING_TABLE_INVALID'
  // the database and the run
  | 'CONNECTION_FAILED'
  | 'LOCK_WAIT_TIMEOUT'
  | 'LOCK_LOST'
  | 'MIGRATION_FAILED'
  | 'ROLLBACK_FAILED'
  | 'DATABASE_ERROR'
  // the branch's migrations against its base (verify)
  | 'GIT_FAILED'
  | 'NO_BASE'
  | 'BASE_MIGRATION_EDITED'
  | 'BASE_MIGRATION_RENAMED'
  | 'BASE_MIGRATION_DELETED'
  | 'BASE_MIGRATION_RENUMBERED'
  | 'VERSION_BELOW_BASE'
  | 'BASE_REPLAY_FAILED'
  | 'DOWN_NOT_RESTORED'
  | 'DOWN_ORDER_DIFFERS'
  | 'REUP_FAILED'
  | 'REUP_DIFFERS'
  | 'NO_DOWN'
  | 'VERSION_IN_OTHER_PR'
  // what the new migrations' SQL does to production (lint)
  | 'LINT'
  | 'INVALID_ACKNOWLEDGEMENT'
  // a throwaway server for checks (verify)
  | 'SCRATCH_UNAVAILABLE'
  | 'SCRATCH_FAILED'
  | 'VERIFY_TIMEOUT'
  | 'SCRATCH_ENDED'
  | 'SCRATCH_DISK_LIMIT'
  | 'CLUSTER_LEFTOVER'
  // the database against what its applied migrations make (drift)
  | 'DRIFT'
  | 'DRIFT_CHECK_SKIPPED'
  // an all-or-none run over many targets (fleet migrate --atomic)
  | 'ATOMIC_REFUSED'
  | 'PREPARED_LEFTOVER'
  | 'INTERNAL';

export type Severity = 'error' | 'warning';

/**
 * The settings a hint can ask to change. The engine names them in plain
 * words ({@link SETTING_NAMES}); each front end shows its own word for them
 * (`--lock-wait` in the CLI, the `lock-wait` input in the action) through
 * {@link hintFor}.
 */
export type Setting =
  | 'connection'
  | 'dir'
  | 'table'
  | 'strictOrder'
  | 'lockWait'
  | 'lockTimeout'
  | 'lockRetries'
  | 'statementTimeout'
  | 'base'
  | 'scratchUrl'
  | 'postgresBin'
  | 'postgresVersion'
  | 'verifyTimeout'
  | 'superuser'
  | 'lint';

/** How the engine's hints name each setting; the text of a hint holds this phrase verbatim. */
export const SETTING_NAMES: Readonly<Record<Setting, string>> = {
  connection: 'the connection',
  dir: 'the migrations directory',
  table: 'the tracking table',
  strictOrder: 'strict order',
  lockWait: 'the lock wait',
  lockTimeout: 'the lock timeout',
  lockRetries: 'the lock retries',
  statementTimeout: 'the statement timeout',
  base: 'the base',
  scratchUrl: 'the scratch server URL',
  postgresBin: 'the PostgreSQL bin directory',
  postgresVersion: 'the PostgreSQL version',
  verifyTimeout: 'the verify timeout',
  superuser: 'the superuser setting',
  lint: 'the lint level',
};

/** The server's own account of a failed statement. */
export interface ServerDetails {
  readonly sqlstate?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
}

export interface Problem {
  /** Stable: what kind of problem, for programs to branch on. */
  readonly code: ProblemCode;
  /** `error` stops migrate and rollback; `warning` is reported and lets them run. */
  readonly severity: Severity;
  /** What is wrong, in one sentence; names the file when there is one. */
  readonly message: string;
  /** The file it is in, as shown to users (the migrations directory joined with the name). */
  readonly file?: string;
  /** 1-based line and column in that file. */
  readonly line?: number;
  readonly column?: number;
  /** The migration version it is about. */
  readonly version?: number;
  /** What to do about it. Names settings, if any, by their {@link SETTING_NAMES} phrases. */
  readonly hint?: string;
  /** The settings the hint names, for front ends to show as their own flags or inputs. */
  readonly settings?: readonly Setting[];
  /** For a failed statement: what the server said. */
  readonly server?: ServerDetails;
  /** For a lint finding (code `LINT`): which rule, the safe way, what was observed. */
  readonly lint?: LintDetails;
}

/** What a lint finding adds to its Problem. */
export interface LintDetails {
  /** The rule's name, as `-- pgshift:safe <rule>` and the config file spell it. */
  readonly rule: RuleName;
  /** rewrite, scan-under-lock, index-not-concurrent, destructive, no-lock-timeout, unbatched-dml or other. */
  readonly family: Family;
  /** The safe way as ready SQL, in migration files. */
  readonly fix?: string;
  /** The reason given in `-- pgshift:safe`, when the finding is acknowledged: it then fails nothing. */
  readonly acknowledged?: string;
  /** What verify saw the statement do on the scratch server: "took ACCESS EXCLUSIVE on public.orders and rewrote it". */
  readonly observed?: string;
  /** What verify's rehearsal measured the statement do on seeded rows: "held ACCESS EXCLUSIVE on public.orders for 840 ms while rewriting 10,000 rows; …". */
  readonly measured?: string;
  /** The table's size in production, from the catalog's estimates: "≈41 M rows, 9.8 GB". */
  readonly size?: string;
  /** The table it is about, as written. */
  readonly relation?: string;
  /** The first and last line of the statement (the finding's line is the part of it that is the hazard). */
  readonly statementLines?: readonly [number, number];
}

/** The fields of a Problem besides its code and message; severity defaults to `error`. */
export type ProblemFields = Omit<Problem, 'code' | 'message' | 'severity'> & { readonly severity?: Severity };

/** A Problem, `error` unless said otherwise. */
export function problem(code: ProblemCode, message: string, fields: ProblemFields = {}): Problem {
  return { code, message, ...fields, severity: fields.severity ?? 'error' };
}

/**
 * A failure: one or more Problems, thrown by the commands that look
 * (status, plan, validate) only when they cannot look at all (a missing
 * directory, no connection), and carried in `report.error` by the commands
 * that act, which never throw.
 */
export class PgshiftError extends Error {
  override readonly name = 'PgshiftError';
  /** What went wrong; never empty, the first is the main one. */
  readonly problems: readonly [Problem, ...Problem[]];

  /**
   * @param problems one Problem, or several reported together
   * @param options.message a summary, when there are several (default: the first one's message)
   */
  constructor(problems: Problem | readonly Problem[], options: { readonly message?: string; readonly cause?: unknown } = {}) {
    const list = 'code' in problems ? [problems] : problems;
    const [first, ...rest] = list;
    const main = first ?? problem('INTERNAL', 'an empty error');
    super(options.message ?? main.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.problems = [main, ...rest];
  }

  /** The main problem: the first. */
  get problem(): Problem {
    return this.problems[0];
  }

  get code(): ProblemCode {
    return this.problems[0].code;
  }

  /** `file:line:column: message (SQLSTATE)`, the form editors and CI annotate; the summary for several. */
  format(): string {
    return this.problems.length === 1 ? formatProblem(this.problem) : this.message;
  }
}

/** One error from one problem: `fail('USAGE', 'no command given', { hint })`. */
export function fail(code: ProblemCode, message: string, fields: ProblemFields = {}, cause?: unknown): PgshiftError {
  return new PgshiftError(problem(code, message, fields), cause === undefined ? {} : { cause });
}

/** Several problems as one error; one problem as itself. */
export function failAll(problems: readonly Problem[], summary: string): PgshiftError {
  return new PgshiftError(problems, problems.length > 1 ? { message: summary } : {});
}

/** `file:line:column`, as far as known; '' without a file. */
export function formatLocation(p: Pick<Problem, 'file' | 'line' | 'column'>): string {
  if (p.file === undefined) return '';
  if (p.line === undefined) return p.file;
  return p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
}

/** `file:line:column: message (SQLSTATE)`. */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const state = p.server?.sqlstate ? ` (${p.server.sqlstate})` : '';
  return `${where ? `${where}: ` : ''}${p.message}${state}`;
}

/**
 * The hint in a front end's own words: the setting's plain name replaced by
 * what that front end calls it (`{ lockWait: '--lock-wait' }`).
 */
export function hintFor(p: Pick<Problem, 'hint' | 'settings'>, words: Partial<Readonly<Record<Setting, string>>>): string | undefined {
  let hint = p.hint;
  for (const setting of p.settings ?? []) {
    const word = words[setting];
    if (hint !== undefined && word !== undefined) hint = hint.replace(SETTING_NAMES[setting], word);
  }
  return hint;
}

/** Problems of error severity. */
export const errorsOf = (problems: readonly Problem[]): Problem[] => problems.filter((p) => p.severity === 'error');
