/**
 * A migration's statements through PostgreSQL's own parser: each statement
 * the splitter found (core/sql-lexer.ts, the way psql splits a file) gets
 * its node, and one that does not parse is a SYNTAX_ERROR at its
 * file:line:column, with PostgreSQL's message, before any server sees it.
 */
import { isProblem, type Parser } from '../core/migration.js';
import { problem, type Problem } from '../core/problem.js';
import { lineColumnAt, shiftPosition } from '../core/source-position.js';
import type { Migration, MigrationFile, Section, Statement } from '../core/types.js';
import type { Node, SqlParser } from './parser.js';

/** A statement of a part with its node (one, unless the text holds more than PostgreSQL takes as one statement). */
export interface StatementNodes {
  readonly statement: Statement;
  readonly nodes: readonly Node[];
}

/** The nodes of every statement of a part, or the first statement PostgreSQL's parser refuses, as a Problem. */
export function parseSection(section: Section, migration: MigrationFile, sql: SqlParser): readonly StatementNodes[] | Problem {
  const parsed: StatementNodes[] = [];
  for (const statement of section.statements) {
    const outcome = sql.parse(statement.sql);
    if (outcome.error) {
      const at = shiftPosition(statement, lineColumnAt(statement.sql, outcome.error.offset));
      return problem('SYNTAX_ERROR', outcome.error.message, {
        file: migration.path,
        ...at,
        version: migration.version,
        hint: hintFor(outcome.error.message, sql.major),
      });
    }
    parsed.push({ statement, nodes: outcome.statements.map((s) => s.node) });
  }
  return parsed;
}

/** Statements checked in one call: a call's cost is paid once per chunk, and no chunk's tree grows large. */
const CHUNK = 500;

/**
 * The first statement of the UP part, then of the DOWN part, that
 * PostgreSQL's parser refuses; undefined when all parse. Statements are
 * checked a chunk at a time (a migration of a million INSERTs takes seconds,
 * not minutes), and a chunk it refuses is parsed statement by statement to
 * find the one, with its position.
 */
export function syntaxProblem(migration: Migration, sql: SqlParser): Problem | undefined {
  for (const section of [migration.up, migration.down]) {
    if (!section) continue;
    for (let i = 0; i < section.statements.length; i += CHUNK) {
      const chunk = section.statements.slice(i, i + CHUNK);
      // A line of its own between statements: a statement may end in a -- comment.
      if (sql.accepts(chunk.map((s) => s.sql).join('\n;\n'))) continue;
      const parsed = parseSection({ ...section, statements: chunk }, migration, sql);
      if ('code' in parsed) return parsed;
    }
  }
  return undefined;
}

/**
 * `parse`, with every statement of the files it parses also checked by
 * PostgreSQL's parser: a file with a statement PostgreSQL refuses is that
 * Problem, as a file with an unterminated string is. Each file once.
 */
export function withSyntaxCheck(parse: Parser, sql: SqlParser): Parser {
  const checked = new Map<MigrationFile, ReturnType<Parser>>();
  return (file) => {
    let result = checked.get(file);
    if (result === undefined) {
      const migration = parse(file);
      result = isProblem(migration) ? migration : (syntaxProblem(migration, sql) ?? migration);
      checked.set(file, result);
    }
    return result;
  };
}

function hintFor(message: string, major: number): string {
  const why = `PostgreSQL ${major}'s own parser refuses it, as the server would`;
  if (message.endsWith('at end of input')) return `finish the statement, or close what is left open (${why})`;
  return `fix the SQL here: a misspelt keyword, a missing comma or parenthesis, a reserved word as a name without "double quotes" (${why})`;
}
