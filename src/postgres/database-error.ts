import pg from 'pg';
import { PgshiftError, type ErrorCode, type SourceLocation } from '../core/errors.js';

export function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

/** SQLSTATEs whose fix a user needs told. */
const HINTS: Record<string, string> = {
  '25001': 'this statement cannot run inside a transaction: add the line -- pgshift:no-transaction above -- UP',
  '57014': 'a statement ran longer than --statement-timeout; raise it, or make the migration faster',
  '55P03': 'a lock could not be taken within --lock-timeout; retry when the table is less busy, or raise it',
  '40P01': 'a deadlock with another session; retry the run',
  '57P01': 'the server ended the session (pg_terminate_backend or a shutdown); the transaction was rolled back; run again',
};

/** True when the error means the session is gone, not just the statement. */
export function isConnectionLoss(error: unknown): boolean {
  if (isDatabaseError(error)) return error.code === '57P01' || error.code === '57P02' || error.code === '57P03';
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNRESET|EPIPE|Client has encountered a connection error|not queryable/i.test(message);
}

/**
 * A failure pgshift itself ran into (reading or preparing the tracking
 * table): the server's words, with what pgshift was doing.
 */
export function databaseError(error: unknown, doing: string, code: ErrorCode = 'DATABASE_ERROR'): PgshiftError {
  if (error instanceof PgshiftError) return error;
  if (isDatabaseError(error)) {
    return new PgshiftError(code, `${doing}: ${error.message}`, {
      server: serverDetails(error),
      hint:
        (error.code && HINTS[error.code]) ??
        error.hint ??
        'check the database is reachable and that this user may read and write the tracking table',
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PgshiftError(code, `${doing}: ${isConnectionLoss(error) ? 'the connection to the server was lost' : message}`, {
    hint: 'check the server is up, then run again',
    cause: error,
  });
}

/** A migration's statement failed: the server's message, SQLSTATE and the file position. */
export function statementError(
  error: unknown,
  code: ErrorCode,
  prefix: string,
  location: SourceLocation | undefined,
  note?: string,
): PgshiftError {
  if (!isDatabaseError(error)) {
    const lost = isConnectionLoss(error);
    const message = lost ? 'the connection to the server was lost' : error instanceof Error ? error.message : String(error);
    return new PgshiftError(code, `${prefix}${message}${note ? `; ${note}` : ''}`, {
      ...(location && { location }),
      hint: lost ? 'the server rolled back the open transaction; check the server, then run again' : 'see the message above',
      cause: error,
    });
  }
  const hint = (error.code && HINTS[error.code]) ?? error.hint;
  return new PgshiftError(code, `${prefix}${error.message}${note ? `; ${note}` : ''}`, {
    ...(location && { location }),
    server: serverDetails(error),
    ...(hint !== undefined && { hint }),
  });
}

function serverDetails(error: pg.DatabaseError) {
  return {
    ...(error.code !== undefined && { sqlstate: error.code }),
    ...(error.detail !== undefined && { detail: error.detail }),
    ...(error.hint !== undefined && { hint: error.hint }),
    ...(error.where !== undefined && { where: error.where }),
  };
}
