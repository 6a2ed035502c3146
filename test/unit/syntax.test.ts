/**
 * PostgreSQL's own parser on migrations, without a database: every statement
 * the splitter finds gets its node, one that does not parse is a
 * SYNTAX_ERROR at its file:line:column with PostgreSQL's message, and what
 * pgshift treats specially is treated as before.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParser } from '../../src/core/migration.js';
import { formatProblem, type Problem } from '../../src/core/problem.js';
import { Migrator } from '../../src/migrator.js';
import { memorySource } from '../../src/source/memory.js';
import { loadParser, utf16Offset, type SqlParser } from '../../src/sql/parser.js';
import { parseSection, syntaxProblem, withSyntaxCheck } from '../../src/sql/syntax.js';
import { migrationsDir } from '../support/files.js';

let sql: SqlParser;
beforeAll(async () => {
  sql = await loadParser();
});

const validate = (files: Record<string, string>) => new Migrator({ source: memorySource(files) }).validate();
const where = (p: Problem | undefined) => p && `${formatProblem(p)}`;

describe("PostgreSQL's parser", () => {
  it('gives every statement its node with its place in the text, and the same parser to every caller', async () => {
    const outcome = sql.parse('SELECT 1; CREATE TABLE t (id int)');
    expect(outcome.error).toBeUndefined();
    expect(outcome.statements?.map((s) => [Object.keys(s.node)[0], s.start, s.end])).toEqual([
      ['SelectStmt', 0, 8],
      ['CreateStmt', 10, 33],
    ]);
    expect(sql.major).toBe(18);
    expect(await loadParser()).toBe(sql);
  });

  it("says PostgreSQL's message and the offset of the token it is about", () => {
    expect(sql.parse('CREAT INDEX i ON t (a)').error).toEqual({ message: 'syntax error at or near "CREAT"', offset: 0 });
    expect(sql.parse('CREATE TABLE t (a int').error).toEqual({ message: 'syntax error at end of input', offset: 21 });
    expect(sql.parse('   ').statements).toEqual([]);
  });

  it('counts offsets in UTF-16 as JavaScript strings do, where PostgreSQL counts bytes and characters', () => {
    // é is 2 bytes and 1 code unit; 🐘 is 4 bytes, 1 character and 2 code units.
    const text = "SELECT 'é🐘'; CREATE TABLE é (a int)";
    const outcome = sql.parse(text);
    expect(outcome.statements?.map((s) => text.slice(s.start, s.end))).toEqual(["SELECT 'é🐘'", 'CREATE TABLE é (a int)']);
    const bad = "SELECT '🐘é' FROM t WHERE x = 1x";
    expect(bad.slice(sql.parse(bad).error?.offset)).toBe('1x');
    expect([0, 1, 3, 7, 8].map(utf16Offset('aé🐘b'))).toEqual([0, 1, 2, 4, 5]);
  });
});

describe('syntax errors in migration files', () => {
  it('regression: a misspelt keyword passed validate with a ✓; now it is an error at file:line:col with the message and a hint', async () => {
    const report = await validate({
      '001_users.sql': '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n',
      '002_index.sql': '-- UP\nSET lock_timeout = 0;\nCREAT INDEX users_id ON users (id);\n-- DOWN\nDROP INDEX users_id;\n',
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'SYNTAX_ERROR',
        severity: 'error',
        file: 'migrations/002_index.sql',
        line: 3,
        column: 1,
        version: 2,
        message: 'syntax error at or near "CREAT"',
        hint: expect.stringContaining("PostgreSQL 18's own parser refuses it"),
      }),
    ]);
  });

  it('finds the error inside a statement, on a later line of it, and in the DOWN part', async () => {
    const report = await validate({
      '001_a.sql': '-- UP\nCREATE TABLE a (id int); CREATE TABLE b (\n  id int,\n  name text,,\n);\n',
      '002_b.sql': '-- UP\nCREATE TABLE c (id int);\n-- DOWN\nDROP TABLE c;\nDROP TABEL d;\n',
      '003_c.sql': "-- UP\n/* é🐘 */ SELECT 'é🐘' FROM t WHERE x = 1x;\n",
    });
    expect(report.problems.map(where)).toEqual([
      'migrations/001_a.sql:4:13: syntax error at or near ","',
      'migrations/002_b.sql:5:6: syntax error at or near "TABEL"',
      'migrations/003_c.sql:2:39: trailing junk after numeric literal at or near "1x"',
    ]);
  });

  it('says where a statement ends too early', async () => {
    const report = await validate({ '001_a.sql': 'CREATE TABLE a (\n  id int\n' });
    expect(report.problems).toEqual([
      expect.objectContaining({ message: 'syntax error at end of input', line: 2, column: 9, hint: expect.stringContaining('close') }),
    ]);
  });

  it('passes what PostgreSQL parses and pgshift runs specially: no-transaction files, CONCURRENTLY, DO, dollar quotes, BEGIN ATOMIC', async () => {
    const report = await validate({
      '001_index.sql':
        '-- pgshift:no-transaction\n-- UP\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nBEGIN;\nUPDATE t SET a = 1;\nCOMMIT;\nVACUUM t;\n-- DOWN\nDROP INDEX CONCURRENTLY t_a;\n',
      '002_do.sql': "-- UP\nDO $$\nBEGIN\n  RAISE NOTICE 'hi; there';\nEND\n$$;\nDO LANGUAGE plpgsql $body$ BEGIN NULL; END $body$;\n",
      '003_function.sql':
        '-- UP\nCREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  RETURN x + 1; -- $$ inside\nEND;\n$fn$;\nCREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nCREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n-- DOWN\nDROP FUNCTION g;\nDROP FUNCTION f;\n',
      '004_strings.sql': "-- UP\nCOMMENT ON TABLE t IS E'it''s \\\\ here';\nSELECT U&'d\\0061t\\+000061';\nSELECT 'a'\n'b';\n",
    });
    // Only the warnings of files without a DOWN part (002, 004): nothing PostgreSQL's parser refused.
    expect(report.problems.map((p) => [p.code, p.severity])).toEqual([
      ['NO_DOWN', 'warning'],
      ['NO_DOWN', 'warning'],
    ]);
    expect(report.ok).toBe(true);
  });

  it('leaves what pgshift refuses itself to its own checks: COPY FROM STDIN, psql meta-commands, COMMIT in a transaction, unterminated strings', async () => {
    const report = await validate({
      '001_copy.sql': '-- UP\nCOPY t FROM STDIN;\n',
      '002_meta.sql': '-- UP\n\\set x 1\nSELECT 1;\n',
      '003_commit.sql': '-- UP\nSELECT 1;\nCOMMIT;\n',
      '004_open.sql': "-- UP\nSELECT 'open;\n",
    });
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual([
      'UNSUPPORTED_SQL',
      'PSQL_META_COMMAND',
      'TRANSACTION_CONTROL',
      'UNTERMINATED_SQL',
    ]);
  });

  it('gives each statement of a part its nodes, and the checked parser the same answer each time', () => {
    const file = {
      version: 1,
      name: 'x',
      fileName: '001_x.sql',
      path: 'm/001_x.sql',
      checksum: '',
      text: '-- UP\nSELECT 1;\nCREATE TABLE t ();\n',
    };
    const parse = createParser();
    const migration = parse(file);
    if ('code' in migration) throw new Error(formatProblem(migration));
    const nodes = parseSection(migration.up, file, sql);
    expect(Array.isArray(nodes) && nodes.map((n) => [n.statement.line, Object.keys(n.nodes[0]!)[0]])).toEqual([
      [2, 'SelectStmt'],
      [3, 'CreateStmt'],
    ]);
    expect(syntaxProblem(migration, sql)).toBeUndefined();
    const bad = { ...file, text: '-- UP\nSELEC 1;\n' };
    const checked = withSyntaxCheck(parse, sql);
    expect(checked(bad)).toBe(checked(bad));
    expect(checked(bad)).toMatchObject({ code: 'SYNTAX_ERROR', line: 2, column: 1 });
  });
});

describe('lint and syntax errors', () => {
  it('reports a linted file that does not parse as a problem and fails, without linting it', async () => {
    const migrator = new Migrator({
      source: memorySource({ '001_a.sql': '-- UP\nCREATE TABLE a (id int);\n', '002_b.sql': '-- UP\nALTER TABEL a ADD COLUMN b int;\n' }),
    });
    const report = await migrator.lint();
    expect(report.ok).toBe(false);
    expect(report.problems.map(where)).toEqual(['migrations/002_b.sql:2:7: syntax error at or near "TABEL"']);
    expect(report.findings).toEqual([]);
    // --lint off lints nothing, and so checks nothing.
    const off = await new Migrator({ source: memorySource({ '001_a.sql': 'SELEC 1;\n' }), lint: { mode: 'off' } }).lint();
    expect(off.problems).toEqual([]);
  });
});

describe('lint FILE for a file anywhere', () => {
  let dir: string;
  let elsewhere: string;
  beforeAll(async () => {
    dir = await migrationsDir({ '001_users.sql': '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n' });
    elsewhere = await migrationsDir({
      'add_index.sql': "SET lock_timeout = '2s';\nCREATE INDEX users_name ON users (name);\n",
      '002_new_table.sql': '-- UP\nCREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n',
      'typo.sql': 'CREAT INDEX x ON users (name);\n',
    });
  });

  it("lints a file outside the migrations directory on the schema the directory's migrations leave", async () => {
    const file = join(elsewhere, 'add_index.sql');
    const report = await new Migrator({ dir }).lint({ files: [file] });
    expect(report.files).toEqual([file]);
    expect(report.problems).toEqual([]);
    // users exists (from the directory), so its index without CONCURRENTLY is a finding.
    expect(report.findings.map((f) => [f.file, f.line, f.lint?.rule])).toEqual([[file, 2, 'create-index']]);
  });

  it('lints a file inside the directory named by its path as the directory file it is', async () => {
    const report = await new Migrator({ dir }).lint({ files: [join(dir, '001_users.sql')] });
    expect(report.files).toEqual([join(dir, '001_users.sql')]);
    expect(report.problems).toEqual([]);
  });

  it('lints a file elsewhere when the migrations directory does not exist, and says where its syntax error is', async () => {
    const migrator = new Migrator({ dir: join(elsewhere, 'no-such-dir') });
    const report = await migrator.lint({ files: [join(elsewhere, '002_new_table.sql'), join(elsewhere, 'typo.sql')] });
    expect(report.files).toEqual([join(elsewhere, '002_new_table.sql'), join(elsewhere, 'typo.sql')]);
    expect(report.problems.map(where)).toEqual([`${join(elsewhere, 'typo.sql')}:1:1: syntax error at or near "CREAT"`]);
    // The table is new in this deploy, so indexing it is harmless.
    expect(report.findings).toEqual([]);
    // A name that is no file still needs the directory.
    await expect(migrator.lint({ files: ['007_x.sql'] })).rejects.toMatchObject({ code: 'DIR_NOT_FOUND' });
  });

  it('still names a missing file as before', async () => {
    const report = await new Migrator({ dir }).lint({ files: ['009_nothing.sql'] });
    expect(report.problems).toEqual([expect.objectContaining({ code: 'USAGE', message: `no migration file "009_nothing.sql" in ${dir}` })]);
  });

  it('reads a file elsewhere as a migration file is read: CRLF line endings, a BOM, -- UP and -- DOWN', async () => {
    const file = join(elsewhere, 'crlf.sql');
    await writeFile(file, '\uFEFF-- UP\r\nCREATE TABLE x (id int);\r\n-- DOWN\r\nDROP TABEL x;\r\n');
    const report = await new Migrator({ dir }).lint({ files: [file] });
    expect(report.problems.map(where)).toEqual([`${file}:4:6: syntax error at or near "TABEL"`]);
  });
});
