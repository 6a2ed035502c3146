import { describe, it, expect } from 'vitest';
import { lineColumnAt, offsetFromServerPosition } from '../../src/core/source-position.js';
import { lexSql, type SqlStatement } from '../../src/core/sql-lexer.js';
import { changesTheServer, isTransactionControl, needsNoTransaction } from '../../src/core/statement-kind.js';

const texts = (sql: string): string[] => lexSql(sql).statements.map((s) => s.text);
const one = (sql: string): SqlStatement => {
  const { statements, problem } = lexSql(sql);
  expect(problem).toBeUndefined();
  expect(statements).toHaveLength(1);
  return statements[0]!;
};

describe('lexSql: statement boundaries', () => {
  it('splits at top-level semicolons', () => {
    expect(texts('SELECT 1; SELECT 2;')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('reports offsets of the first token and just past the last token, excluding the semicolon', () => {
    const sql = '  -- intro\n  /* c */ SELECT 1 ;\nSELECT 2';
    const [a, b] = lexSql(sql).statements;
    expect(a).toEqual({ start: sql.indexOf('SELECT 1'), end: sql.indexOf('SELECT 1') + 8, text: 'SELECT 1', head: 'SELECT' });
    expect(sql.slice(b!.start, b!.end)).toBe('SELECT 2');
  });

  it('produces nothing for empty statements made of semicolons, whitespace and comments', () => {
    expect(texts(';; \n ; /* x */ ; -- y\n;')).toEqual([]);
    expect(texts('')).toEqual([]);
    expect(texts('SELECT 1;;;SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps a final statement without a semicolon', () => {
    expect(texts('SELECT 1;\nSELECT 2\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not treat a trailing comment as a statement', () => {
    expect(texts('SELECT 1;\n-- the end\n/* really */\n')).toEqual(['SELECT 1']);
  });

  it('keeps comments inside a statement in its text but not at its edges', () => {
    expect(texts('/* a */ SELECT /* b */ 1 -- c\n;')).toEqual(['SELECT /* b */ 1']);
  });

  it('does not split at a semicolon inside parentheses, like psql', () => {
    expect(texts('SELECT (1; 2); SELECT 3')).toEqual(['SELECT (1; 2)', 'SELECT 3']);
  });
});

describe('lexSql: comments', () => {
  it('a semicolon inside a line comment does not split', () => {
    expect(texts('SELECT 1 -- a; b\n, 2;')).toEqual(['SELECT 1 -- a; b\n, 2']);
  });

  it('a semicolon inside a block comment does not split', () => {
    expect(texts('SELECT /* ; */ 1;')).toEqual(['SELECT /* ; */ 1']);
  });

  it('nested block comments are one comment', () => {
    expect(texts('/* a /* b; */ c; */ SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('a line comment may end with a carriage return', () => {
    expect(texts('SELECT 1 -- x\r; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describe('lexSql: strings and identifiers', () => {
  it("a semicolon inside a string does not split, and '' is an escaped quote", () => {
    expect(texts("SELECT 'it''s; fine'; SELECT 2")).toEqual(["SELECT 'it''s; fine'", 'SELECT 2']);
  });

  it("an E'' string with an escaped quote is one token", () => {
    expect(texts("SELECT E'it\\'s; ok'; SELECT 2")).toEqual(["SELECT E'it\\'s; ok'", 'SELECT 2']);
    expect(texts("SELECT e'a\\\\'; SELECT 2")).toEqual(["SELECT e'a\\\\'", 'SELECT 2']);
    expect(texts("SELECT E'a''b;c'; SELECT 2")).toEqual(["SELECT E'a''b;c'", 'SELECT 2']);
  });

  it('a backslash in a plain string is literal (standard_conforming_strings)', () => {
    expect(texts("SELECT 'C:\\'; SELECT 2")).toEqual(["SELECT 'C:\\'", 'SELECT 2']);
  });

  it("a U&'' string is a normal string", () => {
    expect(texts("SELECT U&'d\\0061t; a\\'; SELECT 2")).toEqual(["SELECT U&'d\\0061t; a\\'", 'SELECT 2']);
  });

  it('an identifier ending in E followed by a quote is not an E string', () => {
    expect(texts("SELECT somE'\\'; SELECT 2")).toEqual(["SELECT somE'\\'", 'SELECT 2']);
  });

  it('a double-quoted identifier with "" escapes is one token', () => {
    expect(texts('SELECT 1 AS "a;b"""; SELECT 2')).toEqual(['SELECT 1 AS "a;b"""', 'SELECT 2']);
  });
});

describe('lexSql: dollar quotes', () => {
  it('a semicolon inside a dollar-quoted body does not split', () => {
    const sql = 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql; SELECT 1';
    expect(texts(sql)).toEqual([sql.slice(0, sql.indexOf('; SELECT 1')), 'SELECT 1']);
  });

  it('a tagged dollar quote ends only at the same tag, and a nested tag is just text', () => {
    const body = '$outer$ SELECT $inner$ ; $inner$; $x$ ; $outer$';
    expect(texts(`DO ${body}; SELECT 2`)).toEqual([`DO ${body}`, 'SELECT 2']);
  });

  it('dollar-quote tags are case-sensitive', () => {
    expect(texts('SELECT $a$ ; $A$ ; $a$; SELECT 2')).toEqual(['SELECT $a$ ; $A$ ; $a$', 'SELECT 2']);
  });

  it('$1 is a parameter, not a dollar quote', () => {
    expect(texts('PREPARE p AS SELECT $1; SELECT $2;')).toEqual(['PREPARE p AS SELECT $1', 'SELECT $2']);
  });

  it('a $ right after an identifier character is part of the identifier', () => {
    expect(texts('SELECT foo$bar$; SELECT 2 AS x$; SELECT 3')).toEqual(['SELECT foo$bar$', 'SELECT 2 AS x$', 'SELECT 3']);
  });

  it('a $ followed by a tag but no closing $ is a lone character', () => {
    expect(texts('SELECT $abc; SELECT 2')).toEqual(['SELECT $abc', 'SELECT 2']);
  });
});

describe('lexSql: SQL-standard function bodies', () => {
  it('semicolons inside BEGIN ATOMIC ... END of CREATE FUNCTION do not split', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END';
    expect(texts(`${fn}; SELECT 3;`)).toEqual([fn, 'SELECT 3']);
  });

  it('CREATE OR REPLACE PROCEDURE bodies are recognised, case-insensitively', () => {
    const proc = 'create or replace procedure p() language sql begin atomic insert into t values (1); end';
    expect(texts(`${proc};\nselect 3`)).toEqual([proc, 'select 3']);
  });

  it('CASE ... END inside a body does not close the body', () => {
    const fn = 'CREATE FUNCTION f(x int) RETURNS int BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; END';
    expect(texts(`${fn}; SELECT 3`)).toEqual([fn, 'SELECT 3']);
  });

  it('words inside parentheses do not open a body', () => {
    const fn = "CREATE FUNCTION f(begin int) RETURNS TABLE (begin int) LANGUAGE sql AS 'SELECT 1'";
    expect(texts(`${fn}; SELECT 3`)).toEqual([fn, 'SELECT 3']);
  });

  it('outside CREATE FUNCTION/PROCEDURE, BEGIN and END are ordinary words', () => {
    expect(texts('BEGIN; SELECT 1; END;')).toEqual(['BEGIN', 'SELECT 1', 'END']);
    expect(texts('SELECT CASE WHEN true THEN 1 END; SELECT 2')).toEqual(['SELECT CASE WHEN true THEN 1 END', 'SELECT 2']);
  });
});

describe('lexSql: head', () => {
  it('is the first three words uppercased, skipping comments', () => {
    expect(one('/* x */ create /* y */ unique -- z\n index concurrently i ON t (a)').head).toBe('CREATE UNIQUE INDEX');
    expect(one('start transaction').head).toBe('START TRANSACTION');
    expect(one('commit').head).toBe('COMMIT');
  });

  it('stops at the first non-word token', () => {
    expect(one('CREATE TABLE "begin" (a int)').head).toBe('CREATE TABLE');
    expect(one("SELECT 'COMMIT'").head).toBe('SELECT');
    expect(one('(SELECT 1)').head).toBe('');
  });
});

describe('lexSql: unterminated constructs', () => {
  it.each([
    ["SELECT 1; SELECT 'abc", 'unterminated-string', 'unterminated quoted string', "'abc"],
    ["SELECT 1; SELECT E'abc\\'", 'unterminated-string', 'unterminated quoted string', "E'abc"],
    ['SELECT 1; SELECT "abc', 'unterminated-identifier', 'unterminated quoted identifier', '"abc'],
    ['SELECT 1; DO $body$ BEGIN', 'unterminated-dollar-quote', 'unterminated dollar-quoted string $body$', '$body$'],
    ['SELECT 1; DO $$ BEGIN', 'unterminated-dollar-quote', 'unterminated dollar-quoted string $$', '$$'],
    ['SELECT 1; SELECT /* a /* b */ c', 'unterminated-comment', 'unterminated /* comment', '/* a'],
  ] as const)('%s reports %s at its start', (sql, kind, message, from) => {
    const result = lexSql(sql);
    expect(result.statements.map((s) => s.text)).toEqual(['SELECT 1']);
    expect(result.problem).toEqual({ kind, message, offset: sql.indexOf(from) });
  });
});

describe('lexSql: psql meta-commands', () => {
  it('records lines starting with a backslash at top level', () => {
    const sql = 'SELECT 1;\n\\connect other\n   \\i file.sql\nSELECT 2;';
    const result = lexSql(sql);
    expect(result.metaCommands).toEqual([sql.indexOf('\\connect'), sql.indexOf('\\i')]);
    expect(result.statements.map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('ignores the rest of a meta-command line, even a stray quote', () => {
    const result = lexSql("\\set x 'oops\nSELECT 1;");
    expect(result.problem).toBeUndefined();
    expect(result.metaCommands).toEqual([0]);
    expect(result.statements.map((s) => s.text)).toEqual(['SELECT 1']);
  });

  it('ignores backslashes inside strings, comments, dollar quotes, or mid-line', () => {
    const sql = "SELECT '\n\\x';\n/*\n\\x */ SELECT $$\n\\x $$;\nSELECT 1 \\x";
    expect(lexSql(sql).metaCommands).toEqual([]);
  });
});

describe('lexSql: non-ASCII input', () => {
  it('uses UTF-16 offsets with multibyte characters and emoji', () => {
    const sql = "SELECT 'héllo 😀;'; SELECT 😀x;";
    const [a, b] = lexSql(sql).statements;
    expect(a!.text).toBe("SELECT 'héllo 😀;'");
    expect(b!.start).toBe(sql.indexOf('SELECT 😀x'));
    expect(b!.text).toBe('SELECT 😀x');
  });
});

describe('lexSql: performance', () => {
  it('lexes a ~5 MB input in one linear pass', () => {
    const chunk = "INSERT INTO t VALUES (1, 'a;b', $$x;y$$, E'\\';'); -- note; here\n/* c; */\n";
    const count = Math.ceil(5_000_000 / chunk.length);
    const sql = chunk.repeat(count);
    const result = lexSql(sql);
    expect(result.problem).toBeUndefined();
    expect(result.statements).toHaveLength(count);
  });
});

describe('isTransactionControl', () => {
  it.each([
    'begin',
    'BEGIN;',
    'begin work',
    'start transaction isolation level serializable',
    'commit',
    'END',
    'rollback',
    'ABORT',
    'savepoint a',
    'release a',
    'release savepoint a',
    'rollback to savepoint a',
    "prepare transaction 'x'",
    "commit prepared 'x'",
    "rollback prepared 'x'",
  ])('is true for %s', (sql) => {
    expect(isTransactionControl(one(sql))).toBe(true);
  });

  it('is false for BEGIN ATOMIC inside a function body', () => {
    const { statements } = lexSql('CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END; SELECT 2;');
    expect(statements).toHaveLength(2);
    expect(statements.map(isTransactionControl)).toEqual([false, false]);
  });

  it.each([
    'CREATE TABLE "begin" (id int)',
    "SELECT 'COMMIT'",
    'DO $$ BEGIN PERFORM 1; COMMIT; END $$',
    'PREPARE q AS SELECT 1',
    'START something',
    '"commit"',
  ])('is false for %s', (sql) => {
    expect(isTransactionControl(one(sql))).toBe(false);
  });
});

describe('needsNoTransaction', () => {
  it.each([
    'CREATE INDEX CONCURRENTLY i ON t (a)',
    'create unique index concurrently i on t (a)',
    'DROP INDEX CONCURRENTLY i',
    'REINDEX INDEX CONCURRENTLY i',
    'REINDEX (VERBOSE) TABLE CONCURRENTLY t',
    'REINDEX (CONCURRENTLY) TABLE t',
    'REINDEX SCHEMA s',
    'REINDEX DATABASE d',
    'VACUUM',
    'vacuum (analyze) t',
    'CREATE DATABASE d',
    'DROP DATABASE IF EXISTS d',
    "ALTER SYSTEM SET work_mem = '1MB'",
    "CREATE TABLESPACE ts LOCATION '/x'",
    'DROP TABLESPACE ts',
    'ALTER DATABASE d SET TABLESPACE ts',
    '/* lead */ CREATE /* mid */ INDEX CONCURRENTLY i ON t (a)',
  ])('is true for %s', (sql) => {
    expect(needsNoTransaction(one(sql))).toBe(true);
  });

  it.each([
    'CREATE INDEX i ON t (a)',
    'CREATE UNIQUE INDEX i ON t (a)',
    'DROP INDEX i',
    'REINDEX TABLE t',
    'REINDEX (CONCURRENTLY false) TABLE t',
    'ANALYZE t',
    'CREATE TABLE concurrently_log (a int)',
    "SELECT 'VACUUM'",
    'ALTER DATABASE d SET work_mem = 1',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY v',
  ])('is false for %s', (sql) => {
    expect(needsNoTransaction(one(sql))).toBe(false);
  });
});

describe('changesTheServer (what a rehearsal on a copy of the database would leave for the proof)', () => {
  it.each([
    'CREATE DATABASE d',
    'drop database if exists d',
    "ALTER SYSTEM SET work_mem = '1MB'",
    "CREATE TABLESPACE ts LOCATION '/x'",
    'CREATE ROLE app LOGIN',
    'ALTER USER app SET search_path = x',
    'DROP GROUP g',
    "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
  ])('is true for %s', (sql) => {
    expect(changesTheServer({ text: sql })).toBe(true);
  });

  it.each(['CREATE INDEX CONCURRENTLY i ON t (a)', 'VACUUM FULL t', 'CREATE USER MAPPING FOR app SERVER s', 'GRANT SELECT ON t TO app'])(
    'is false for %s',
    (sql) => {
      expect(changesTheServer({ text: sql })).toBe(false);
    },
  );
});

describe('lineColumnAt', () => {
  it('gives 1-based lines and columns', () => {
    const text = 'ab\ncd\n\nef';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumnAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineColumnAt(text, 8)).toEqual({ line: 4, column: 2 });
  });

  it('counts columns in code points, so an emoji is one column', () => {
    const text = 'x\n😀é😀y';
    expect(lineColumnAt(text, text.indexOf('y'))).toEqual({ line: 2, column: 4 });
  });

  it('does not treat \\r as special: CRLF is normalised by callers', () => {
    const text = 'a\r\nb';
    expect(lineColumnAt(text, text.indexOf('\r'))).toEqual({ line: 1, column: 2 });
    expect(lineColumnAt(text, text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt('a\rb', 2)).toEqual({ line: 1, column: 3 });
  });

  it('clamps offsets outside the text', () => {
    expect(lineColumnAt('ab\nc', 99)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab', -5)).toEqual({ line: 1, column: 1 });
  });
});

describe('offsetFromServerPosition', () => {
  it('maps a 1-based code-point position to a UTF-16 offset past an emoji', () => {
    const text = "SELECT '😀', oops";
    // The server counts the emoji as one character.
    const position = [...text.slice(0, text.indexOf('oops'))].length + 1;
    expect(offsetFromServerPosition(text, position)).toBe(text.indexOf('oops'));
  });

  it('maps position 1 to offset 0 and clamps to the text length', () => {
    expect(offsetFromServerPosition('abc', 1)).toBe(0);
    expect(offsetFromServerPosition('abc', 0)).toBe(0);
    expect(offsetFromServerPosition('a😀', 3)).toBe(3);
    expect(offsetFromServerPosition('abc', 100)).toBe(3);
  });

  it('agrees with lineColumnAt on the column of the mapped offset', () => {
    const text = 'SELECT 1;\n😀😀 SELECT x';
    const offset = offsetFromServerPosition(text, 21);
    expect(text.slice(offset)).toBe('x');
    expect(lineColumnAt(text, offset)).toEqual({ line: 2, column: 11 });
  });
});
