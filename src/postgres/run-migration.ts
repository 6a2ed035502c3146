import pg from 'pg';
import { PgshiftError, type SourceLocation } from '../core/errors.js';
import { lineColumnAt, offsetFromServerPosition } from '../core/sql-lexer.js';
import type { TableName } from '../core/table-name.js';
import type { Migration, Section } from '../core/types.js';
import { isDatabaseError, statementError } from './database-error.js';

export type Direction = 'up' | 'down';

/**
 * Runs one migration's UP or DOWN and records it in the tracking table.
 * Returns the time it took in milliseconds; throws a PgshiftError that
 * points into the file when a statement fails.
 */
export async function runMigration(client: pg.Client, table: TableName, migration: Migration, direction: Direction): Promise<number> {
  const section = direction === 'up' ? migration.up : migration.down;
  if (!section) throw new PgshiftError('NO_DOWN_SECTION', `${migration.path} has no -- DOWN part`, { location: { file: migration.path } });
  const started = performance.now();
  if (migration.transaction === 'transaction') {
    await runInTransaction(client, table, migration, section, direction);
  } else {
    await runStatementByStatement(client, table, migration, section, direction);
  }
  return Math.round(performance.now() - started);
}

const PREFIX = 'BEGIN;\n';

/**
 * One round trip: BEGIN, the section, the tracking change and COMMIT go as a
 * single simple-protocol message, so the migration and its row commit
 * together or not at all. The simple protocol takes no parameters; the
 * values inlined are a checked integer and escapeLiteral'd strings.
 * The duration is measured by the server (clock_timestamp() - now()).
 */
async function runInTransaction(
  client: pg.Client,
  table: TableName,
  migration: Migration,
  section: Section,
  direction: Direction,
): Promise<void> {
  const tracking =
    direction === 'up'
      ? `INSERT INTO ${table.sql} (version, name, checksum, duration_ms) VALUES (${migration.version}, ${pg.escapeLiteral(migration.name)}, ${pg.escapeLiteral(migration.checksum)}, (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer)`
      : `DELETE FROM ${table.sql} WHERE version = ${migration.version}`;
  // The newline keeps a trailing `-- comment` in the section from swallowing the tracking change.
  const text = `${PREFIX}${section.sql}\n;\n${tracking};\nCOMMIT;`;

  let completed = 0;
  const count = () => void completed++;
  const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
  connection.on('commandComplete', count);
  try {
    await client.query(text);
  } catch (error) {
    // BEGIN completed first; the statement after the last completed one failed.
    // Counted before the ROLLBACK below, which completes a command of its own.
    const failedIndex = completed - 1;
    await rollbackQuietly(client);
    throw statementError(
      error,
      direction === 'up' ? 'MIGRATION_FAILED' : 'ROLLBACK_FAILED',
      direction === 'up' ? '' : 'rolling back: ',
      locate(error, migration, section, failedIndex),
    );
  } finally {
    connection.off('commandComplete', count);
  }
}

/**
 * For `-- pgshift:no-transaction`: each statement on its own, as PostgreSQL
 * requires for CREATE INDEX CONCURRENTLY and the like, then the tracking row.
 * A failure part way is not recorded; the statements before it took effect.
 */
async function runStatementByStatement(
  client: pg.Client,
  table: TableName,
  migration: Migration,
  section: Section,
  direction: Direction,
): Promise<void> {
  const started = performance.now();
  const statements = section.statements;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    try {
      await client.query(statement.sql);
    } catch (error) {
      const position = isDatabaseError(error) && error.position ? Number(error.position) : undefined;
      let location: SourceLocation = { file: migration.path, line: statement.line, column: statement.column };
      if (position !== undefined) {
        const at = lineColumnAt(statement.sql, offsetFromServerPosition(statement.sql, position));
        location = {
          file: migration.path,
          line: statement.line + at.line - 1,
          column: at.line === 1 ? statement.column + at.column - 1 : at.column,
        };
      }
      const note =
        i === 0
          ? `it was statement 1 of ${statements.length}; nothing took effect and the migration is not recorded`
          : `it was statement ${i + 1} of ${statements.length}; statements 1 to ${i} took effect (this migration runs without a transaction) and it is not recorded: make the rest safe to run again, or undo them by hand, then run again`;
      throw statementError(error, direction === 'up' ? 'MIGRATION_FAILED' : 'ROLLBACK_FAILED', '', location, note);
    }
  }
  const duration = Math.round(performance.now() - started);
  try {
    if (direction === 'up') {
      await client.query(`INSERT INTO ${table.sql} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)`, [
        migration.version,
        migration.name,
        migration.checksum,
        duration,
      ]);
    } else {
      await client.query(`DELETE FROM ${table.sql} WHERE version = $1`, [migration.version]);
    }
  } catch (error) {
    throw statementError(
      error,
      'DATABASE_ERROR',
      `recording ${migration.fileName} in ${table.display}: `,
      { file: migration.path },
      'its statements took effect but it is not recorded',
    );
  }
}

async function rollbackQuietly(client: pg.Client): Promise<void> {
  const status = (client as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  if (status === 'I') return;
  await client.query('ROLLBACK').catch(() => {});
}

/**
 * Maps the error back into the file: by the server's character position
 * when it gave one (counted in the whole message, so minus the prefix),
 * otherwise to the statement that was running when it failed.
 */
function locate(error: unknown, migration: Migration, section: Section, failedIndex: number): SourceLocation {
  const file = migration.path;
  const position = isDatabaseError(error) && error.position ? Number(error.position) : undefined;
  if (position !== undefined && position > PREFIX.length) {
    const offset = offsetFromServerPosition(section.sql, position - PREFIX.length);
    if (offset < section.sql.length) {
      const at = lineColumnAt(section.sql, offset);
      return { file, line: section.startLine + at.line - 1, column: at.column };
    }
  }
  const statement = section.statements[failedIndex];
  if (statement) return { file, line: statement.line, column: statement.column };
  return { file };
}
