import { problem, type Problem } from './problem.js';
import { lineLocator, shiftPosition } from './source-position.js';
import { lexSql, type SqlStatement } from './sql-lexer.js';
import {
  blockAfter,
  isTransactionControl,
  needsNoTransaction,
  needsTransactionBlock,
  readsFromClient,
  resetsSession,
} from './statement-kind.js';
import type { Section, Statement, TransactionMode } from './types.js';

/** `-- UP` / `-- DOWN` alone on a line, any case, spaces allowed around. */
const MARKER = /^[ \t]*--[ \t]*(up|down)[ \t]*$/i;
/**
 * `-- pgshift:<directive>`: `no-transaction` in the header, or `safe <rule>
 * <reason>` anywhere (an acknowledged lint finding, checked by the lint).
 */
const DIRECTIVE = /^[ \t]*--[ \t]*pgshift:[ \t]*([A-Za-z-]*)(.*)$/;

/**
 * With standard_conforming_strings off, the server reads a backslash in '...'
 * as an escape, so it would end strings where the file check does not, and a
 * COMMIT the check took for string content would run. The session has it on;
 * a migration may not turn it off.
 */
const TURNS_OFF_STANDARD_STRINGS = /standard_conforming_strings['"]?\s*(?:=|\bto\b|,)\s*'?(?:off|false|no|0)\b/i;

export interface ParsedSections {
  readonly transaction: TransactionMode;
  readonly up: Section;
  readonly down?: Section;
}

/**
 * Splits a migration's text (line endings already LF) into its UP and DOWN
 * parts and checks them. Header comments before the first marker are not SQL;
 * without markers the whole file is UP. A problem names the file and line.
 */
export function parseSections(text: string, file: string): ParsedSections | Problem {
  const lines = text.split('\n');
  let up: number | undefined;
  let down: number | undefined;
  let transaction: TransactionMode = 'transaction';
  const fail = (line: number, message: string, hint: string) => problem('INVALID_SECTIONS', message, { file, line, hint });

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.includes('--')) continue;
    const marker = MARKER.exec(line)?.[1]?.toUpperCase();
    if (marker === 'UP') {
      if (up !== undefined) return fail(i + 1, `second -- UP marker (the first is on line ${up + 1})`, 'keep one -- UP marker per file');
      up = i;
      continue;
    }
    if (marker === 'DOWN') {
      if (down !== undefined)
        return fail(i + 1, `second -- DOWN marker (the first is on line ${down + 1})`, 'keep one -- DOWN marker per file');
      down = i;
      continue;
    }
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      const name = directive[1]?.toLowerCase();
      if (name === 'safe') continue;
      if (name !== 'no-transaction' || (directive[2] ?? '').trim() !== '') {
        return fail(
          i + 1,
          `unknown directive "${line.trim()}"`,
          'the directives are -- pgshift:no-transaction (above -- UP) and -- pgshift:safe <rule> <reason>',
        );
      }
      if (up !== undefined || down !== undefined) {
        return fail(
          i + 1,
          '-- pgshift:no-transaction must come before -- UP and -- DOWN',
          'move the directive into the header, above the parts',
        );
      }
      transaction = 'none';
    }
  }

  if (up === undefined && down !== undefined) {
    return fail(down + 1, 'the file has a -- DOWN part but no -- UP part', 'add a -- UP line above the SQL that applies the migration');
  }

  // Each part runs from its marker to the other marker or the end: pycopg finds each part by its
  // marker, so a file with -- DOWN above -- UP means the same as the other way round.
  const upStart = up === undefined ? 0 : up + 1;
  const upEnd = down !== undefined && up !== undefined && down > up ? down : lines.length;
  const downEnd = down !== undefined && up !== undefined && up > down ? up : lines.length;
  if (up !== undefined) {
    const first = Math.min(up, down ?? up);
    const stray = section(lines, 0, first).statements[0];
    const marker = first === up ? '-- UP' : '-- DOWN';
    if (stray) return fail(stray.line, `SQL before ${marker} would never run`, `move it below ${marker}, or delete it`);
  }

  const upSection = checkedSection(lines, upStart, upEnd, transaction, file);
  if (isProblem(upSection)) return upSection;
  if (upSection.statements.length === 0) {
    return problem('EMPTY_MIGRATION', 'the -- UP part has no SQL (only comments or blank lines)', {
      file,
      line: up === undefined ? 1 : up + 1,
      hint: 'write the migration SQL below -- UP, or delete the file',
    });
  }
  if (down === undefined) return { transaction, up: upSection };

  const downSection = checkedSection(lines, down + 1, downEnd, transaction, file);
  if (isProblem(downSection)) return downSection;
  // A DOWN with only comments (an untouched placeholder) means "no DOWN", never
  // "run the whole file". A DOWN with nothing at all after the marker says
  // undoing needs no SQL (golang-migrate's empty down file): rollback then only
  // removes the tracking row.
  if (downSection.statements.length === 0 && downSection.sql.trim() !== '') return { transaction, up: upSection };
  return { transaction, up: upSection, down: downSection };
}

interface LexedSection extends Section {
  readonly lexed: ReturnType<typeof lexSql>;
  readonly raw: readonly SqlStatement[];
}

const isProblem = (value: object): value is Problem => 'code' in value;

function section(lines: readonly string[], from: number, to: number): LexedSection {
  const sql = lines.slice(from, to).join('\n');
  const lexed = lexSql(sql);
  const startLine = from + 1;
  const locate = lineLocator(sql);
  const origin = { line: startLine, column: 1 };
  const statements: Statement[] = lexed.statements.map((s) => ({ sql: s.text, ...shiftPosition(origin, locate(s.start)) }));
  return { sql, startLine, statements, lexed, raw: lexed.statements };
}

function checkedSection(lines: readonly string[], from: number, to: number, transaction: TransactionMode, file: string): Section | Problem {
  const s = section(lines, from, to);
  const locate = lineLocator(s.sql);
  const origin = { line: s.startLine, column: 1 };
  const at = (offset: number) => ({ file, ...shiftPosition(origin, locate(offset)) });
  if (s.lexed.problem) {
    return problem('UNTERMINATED_SQL', s.lexed.problem.message, {
      ...at(s.lexed.problem.offset),
      hint: 'close it; everything after it would be swallowed into it',
    });
  }
  const meta = s.lexed.metaCommands[0];
  if (meta !== undefined) {
    return problem('PSQL_META_COMMAND', 'psql meta-command: the server cannot run backslash commands', {
      ...at(meta),
      hint: 'write plain SQL; pgshift sends the file to the server, not to psql',
    });
  }
  const offStrings = s.raw.find((st) => TURNS_OFF_STANDARD_STRINGS.test(st.text));
  if (offStrings) {
    return problem('UNSUPPORTED_SQL', 'turning standard_conforming_strings off is not supported', {
      ...at(offStrings.start),
      hint: "pgshift reads strings the standard way, as the server does by default; write E'...' strings for backslash escapes instead",
    });
  }
  const reset = s.raw.find(resetsSession);
  if (reset) {
    return problem('UNSUPPORTED_SQL', `"${reset.head}" would reset the session settings pgshift runs the migration with`, {
      ...at(reset.start),
      hint: 'reset the settings the migration changed by name (RESET search_path, RESET ROLE, ...); pgshift puts the session back after each migration itself',
    });
  }
  const copy = s.raw.find(readsFromClient);
  if (copy) {
    return problem('UNSUPPORTED_SQL', '"COPY ... FROM STDIN" waits for rows from the client, and pgshift sends none', {
      ...at(copy.start),
      hint: 'load the rows with INSERT ... VALUES, or COPY them from a file on the database server',
    });
  }
  if (transaction === 'none') {
    const found = noTransactionProblem(s.raw, at);
    if (found) return found;
  }
  if (transaction === 'transaction') {
    for (const statement of s.raw) {
      if (isTransactionControl(statement)) {
        return problem('TRANSACTION_CONTROL', `"${statement.head}" would break the migration's own transaction`, {
          ...at(statement.start),
          hint: 'remove it: pgshift runs each migration in one transaction; or add -- pgshift:no-transaction above -- UP to manage transactions yourself',
        });
      }
      if (needsNoTransaction(statement)) {
        return problem('NEEDS_NO_TRANSACTION', `"${statement.head}" cannot run inside a transaction`, {
          ...at(statement.start),
          hint: 'add the line -- pgshift:no-transaction above -- UP to run this migration outside a transaction, one statement at a time',
        });
      }
    }
  }
  return { sql: s.sql, startLine: s.startLine, statements: s.statements };
}

/**
 * What a no-transaction migration cannot run as written: a statement that
 * needs a transaction block outside BEGIN ... COMMIT (each statement runs on
 * its own there); a string that would end elsewhere if
 * standard_conforming_strings were off when it runs (something earlier in the
 * same migration could turn it off, and each statement is sent on its own).
 */
function noTransactionProblem(
  statements: readonly SqlStatement[],
  at: (offset: number) => { file: string; line: number; column: number },
): Problem | undefined {
  let inBlock = false;
  for (const statement of statements) {
    if (!inBlock && needsTransactionBlock(statement)) {
      return problem(
        'UNSUPPORTED_SQL',
        `"${statement.head}" needs a transaction block, and without one in a no-transaction migration it runs on its own`,
        {
          ...at(statement.start),
          hint: 'put it between BEGIN; and COMMIT; with the statements that need it, or remove -- pgshift:no-transaction',
        },
      );
    }
    inBlock = blockAfter(statement, inBlock);
    if (statement.text.includes('\\')) {
      const other = lexSql(statement.text, { standardStrings: false });
      if (other.problem || other.statements.length !== 1) {
        return problem(
          'UNSUPPORTED_SQL',
          'a backslash in this string would end it elsewhere if standard_conforming_strings were off when it runs',
          {
            ...at(statement.start),
            hint: "write it as an E'...' string, with the backslash doubled, so that it reads the same either way",
          },
        );
      }
    }
  }
  return undefined;
}
