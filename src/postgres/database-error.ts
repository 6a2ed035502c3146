import { fail, PgshiftError, type ProblemCode, type ProblemFields, type ServerDetails, type Setting } from '../core/problem.js';

/** The fields of a PostgreSQL error as node-postgres gives them. */
export interface ServerError extends Error {
  readonly code: string;
  readonly severity?: string;
  readonly position?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
  /** Set by the session on a failed query: how many of its commands completed first. */
  readonly completedCommands?: number;
}

/** True for an error the server sent (it has a SQLSTATE and a severity), false for a socket or client error. */
export function isServerError(error: unknown): error is ServerError {
  const e = error as Partial<ServerError> | null;
  return error instanceof Error && typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
}

/** SQLSTATEs whose fix a user needs told, and the setting the fix is about. */
const HINTS: Record<string, { readonly hint: string; readonly settings?: readonly Setting[] }> = {
  '25001': { hint: 'this statement cannot run inside a transaction: add the line -- pgshift:no-transaction above -- UP' },
  '57014': {
    hint: 'a statement ran longer than the statement timeout; raise it, or make the migration faster',
    settings: ['statementTimeout'],
  },
  '55P03': {
    hint: 'a lock could not be taken in time; retry when the sessions it waited behind are done, or raise the lock retries or the lock timeout',
    settings: ['lockRetries', 'lockTimeout'],
  },
  '40P01': { hint: 'a deadlock with another session; retry the run' },
  '57P01': { hint: 'the server ended the session (pg_terminate_backend or a shutdown); the transaction was rolled back; run again' },
};

/** True when the error means the session is gone, not just the statement. */
export function isConnectionLoss(error: unknown): boolean {
  if (isServerError(error)) return error.code === '57P01' || error.code === '57P02' || error.code === '57P03';
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNRESET|EPIPE|Client has encountered a connection error|not queryable/i.test(message);
}

/**
 * The hint for a server error: pgshift's own for the SQLSTATEs it knows, else
 * the server's. 57014 is every cancel; only its message tells a statement
 * timeout from pg_cancel_backend() or a standby's recovery conflict.
 */
function hintOf(error: ServerError): Pick<ProblemFields, 'hint' | 'settings'> {
  if (error.code === '57014' && !/statement timeout/i.test(error.message)) {
    return {
      hint: /user request/i.test(error.message)
        ? 'someone cancelled the statement (pg_cancel_backend, or Ctrl-C in another client); the transaction was rolled back; run again'
        : 'the server cancelled the statement; the transaction was rolled back; run again',
    };
  }
  const known = HINTS[error.code];
  if (known) return { hint: known.hint, ...(known.settings !== undefined && { settings: known.settings }) };
  return error.hint === undefined ? {} : { hint: error.hint };
}

/**
 * A failure pgshift itself ran into (reading or preparing the tracking
 * table, taking the lock): the server's words, with what pgshift was doing.
 */
export function databaseError(error: unknown, doing: string, code: ProblemCode = 'DATABASE_ERROR'): PgshiftError {
  if (error instanceof PgshiftError) return error;
  if (isServerError(error)) {
    const hint = hintOf(error);
    return fail(code, `${doing}: ${error.message}`, {
      server: serverDetails(error),
      ...(hint.hint !== undefined
        ? hint
        : { hint: 'check the database is reachable and that this user may read and write the tracking table' }),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(
    code,
    `${doing}: ${isConnectionLoss(error) ? 'the connection to the server was lost' : message}`,
    { hint: 'check the server is up, then run again' },
    error,
  );
}

/** A migration's statement failed: the server's message, SQLSTATE and the file position. */
export function statementError(
  error: unknown,
  code: ProblemCode,
  prefix: string,
  at: Pick<ProblemFields, 'file' | 'line' | 'column' | 'version'>,
  note?: string,
): PgshiftError {
  const suffix = note ? `; ${note}` : '';
  if (!isServerError(error)) {
    const lost = isConnectionLoss(error);
    const message = lost ? 'the connection to the server was lost' : error instanceof Error ? error.message : String(error);
    return fail(
      code,
      `${prefix}${message}${suffix}`,
      { ...at, hint: lost ? 'the server rolled back the open transaction; check the server, then run again' : 'see the message above' },
      error,
    );
  }
  return fail(code, `${prefix}${error.message}${suffix}`, { ...at, server: serverDetails(error), ...hintOf(error) });
}

function serverDetails(error: ServerError): ServerDetails {
  return {
    sqlstate: error.code,
    ...(error.detail !== undefined && { detail: error.detail }),
    ...(error.hint !== undefined && { hint: error.hint }),
    ...(error.where !== undefined && { where: error.where }),
  };
}
