import type { PgshiftError, Problem } from '../index.js';

/** Problems found before the database is touched: bad usage or bad input. */
const INPUT: ReadonlySet<Problem['code']> = new Set<Problem['code']>([
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
  'SYNTAX_ERROR',
  'TRANSACTION_CONTROL',
  'NEEDS_NO_TRANSACTION',
  'PSQL_META_COMMAND',
  'UNSUPPORTED_SQL',
  'INVALID_NAME',
  'FILE_EXISTS',
]);

/** The exit code of a failure: 2 for bad usage or input found before touching the database, 1 otherwise. */
export function exitCodeOf(error: PgshiftError): 1 | 2 {
  return INPUT.has(error.code) ? 2 : 1;
}

/** 2 when an error-level problem is bad input (a file pgshift cannot take), else undefined. */
export function inputFailure(problems: readonly Problem[]): 2 | undefined {
  return problems.some((p) => p.severity === 'error' && INPUT.has(p.code)) ? 2 : undefined;
}
