import { PgshiftError } from './core/errors.js';
import { parseTableName, type TableName } from './core/table-name.js';
import type { MigratorOptions } from './migrator.js';

/** Validates a Migrator's options once, reporting every bad one together. */
export function checkOptions(options: MigratorOptions): TableName {
  const problems: PgshiftError[] = [];
  const table = parseTableName(options.table ?? 'schema_migrations');
  if (table instanceof PgshiftError) problems.push(table);
  for (const key of ['lockWaitMs', 'lockTimeoutMs', 'statementTimeoutMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(new PgshiftError('INVALID_OPTION', `${key} must be a whole number of milliseconds ≥ 0, got ${String(value)}`));
    }
  }
  if (options.dir !== undefined && options.dir.trim() === '') {
    problems.push(new PgshiftError('INVALID_OPTION', 'dir must not be empty', { hint: 'pass the migrations directory, e.g. migrations' }));
  }
  const [first] = problems;
  if (first && problems.length === 1) throw first;
  if (first) throw new PgshiftError(first.code, `${problems.length} invalid options`, { problems });
  return table as TableName;
}
