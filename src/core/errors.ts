/**
 * Every error pgshift reports is a {@link PgshiftError} with a stable `code`.
 * The code decides the exit status: problems found before the database is
 * touched (usage, files, names) exit 2; failures of the operation exit 1.
 */

export type ErrorCode =
  // bad usage or bad input, found before the database is touched (exit 2)
  | 'USAGE'
  | 'INVALID_OPTION'
  | 'INVALID_TABLE_NAME'
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
  | 'TRANSACTION_CONTROL'
  | 'NEEDS_NO_TRANSACTION'
  | 'PSQL_META_COMMAND'
  | 'UNSUPPORTED_SQL'
  | 'INVALID_NAME'
  | 'FILE_EXISTS'
  // the operation failed (exit 1)
  | 'CONNECTION_FAILED'
  | 'LOCK_WAIT_TIMEOUT'
  | 'MIGRATION_FAILED'
  | 'ROLLBACK_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'MISSING_FILE'
  | 'NAME_MISMATCH'
  | 'NO_DOWN_SECTION'
  | 'OUT_OF_ORDER'
  | 'TRACKING_TABLE_INVALID'
  | 'VALIDATION_FAILED'
  | 'DATABASE_ERROR'
  | 'WRITE_FAILED';

const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE',
  'INVALID_OPTION',
  'INVALID_TABLE_NAME',
  'DIR_NOT_FOUND',
  'DIR_NOT_A_DIRECTORY',
  'DIR_UNREADABLE',
  'INVALID_FILE_NAME',
  'DUPLICATE_VERSION',
  'FILE_UNREADABLE',
  'INVALID_ENCODING',
  'INVALID_SECTIONS',
  'EMPTY_MIGRATION',
  'UNTERMINATED_SQL',
  'TRANSACTION_CONTROL',
  'NEEDS_NO_TRANSACTION',
  'PSQL_META_COMMAND',
  'UNSUPPORTED_SQL',
  'INVALID_NAME',
  'FILE_EXISTS',
]);

/** Where in a migration file something went wrong (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** The server's own account of a failed statement. */
export interface ServerErrorDetails {
  readonly sqlstate?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
}

export interface PgshiftErrorOptions {
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly server?: ServerErrorDetails;
  /** Further problems reported together with this one (all bad file names, say). */
  readonly problems?: readonly PgshiftError[];
  readonly cause?: unknown;
}

export class PgshiftError extends Error {
  override readonly name = 'PgshiftError';
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly server?: ServerErrorDetails;
  readonly problems: readonly PgshiftError[];

  constructor(code: ErrorCode, message: string, options: PgshiftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.server = options.server;
    this.problems = options.problems ?? [];
  }

  /** 2 for bad usage or input found before touching the database, 1 otherwise. */
  get exitCode(): 1 | 2 {
    return INPUT_ERRORS.has(this.code) ? 2 : 1;
  }

  /** `file:line:column: message (SQLSTATE)`, the form editors and CI annotate. */
  format(): string {
    const where = formatLocation(this.location);
    const state = this.server?.sqlstate ? ` (${this.server.sqlstate})` : '';
    return `${where ? `${where}: ` : ''}${this.message}${state}`;
  }

  toJSON(): ErrorJson {
    return {
      message: this.message,
      code: this.code,
      ...(this.location?.file !== undefined && { file: this.location.file }),
      ...(this.location?.line !== undefined && { line: this.location.line }),
      ...(this.location?.column !== undefined && { column: this.location.column }),
      ...(this.hint !== undefined && { hint: this.hint }),
      ...(this.server?.sqlstate !== undefined && { sqlstate: this.server.sqlstate }),
      ...(this.server?.detail !== undefined && { detail: this.server.detail }),
      ...(this.server?.where !== undefined && { where: this.server.where }),
      ...(this.problems.length > 0 && { problems: this.problems.map((p) => p.toJSON()) }),
    };
  }
}

export interface ErrorJson {
  readonly message: string;
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  readonly sqlstate?: string;
  readonly detail?: string;
  readonly where?: string;
  readonly problems?: readonly ErrorJson[];
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** Several problems of one kind reported at once, the first one's code leading. */
export function combine(problems: readonly PgshiftError[], summary: string): PgshiftError {
  const [first] = problems;
  if (problems.length === 1 && first) return first;
  return new PgshiftError(first?.code ?? 'VALIDATION_FAILED', summary, {
    problems,
    ...(first?.hint !== undefined && { hint: first.hint }),
  });
}
