import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/problem.js';
import { formatProblem } from '../../src/core/problem.js';
import { parseSections, type ParsedSections } from '../../src/core/sections.js';

const parse = (text: string) => parseSections(text, 'migrations/001_x.sql');
const ok = (text: string): ParsedSections => {
  const result = parse(text);
  if ('code' in result) throw new Error(`unexpected error: ${formatProblem(result)}`);
  return result;
};
const fails = (text: string): Problem & { location: { file?: string; line?: number; column?: number } } => {
  const result = parse(text);
  if (!('code' in result)) throw new Error('expected an error');
  // Where the problem is, as the tests below compare it.
  const { file, line, column } = result;
  return {
    ...result,
    location: { ...(file !== undefined && { file }), ...(line !== undefined && { line }), ...(column !== undefined && { column }) },
  };
};

describe('sections', () => {
  it('treats a file without markers as all UP', () => {
    const s = ok('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
    expect(s.up.statements.map((x) => x.line)).toEqual([1, 2]);
    expect(s.down).toBeUndefined();
    expect(s.transaction).toBe('transaction');
  });

  it('splits UP and DOWN at marker lines in any case with spaces around, and keeps file line numbers', () => {
    const s = ok('-- Migration: x\n-- Created: now\n\n  --  up  \nCREATE TABLE a (id int);\n\n-- Down\nDROP TABLE a;\n');
    expect(s.up.startLine).toBe(5);
    expect(s.up.statements).toEqual([{ sql: 'CREATE TABLE a (id int)', line: 5, column: 1 }]);
    expect(s.down?.statements).toEqual([{ sql: 'DROP TABLE a', line: 8, column: 1 }]);
  });

  it('does not take a marker-like comment with more words for a marker', () => {
    const s = ok('-- UP\nSELECT 1;\n-- UP the count\nSELECT 2;\n');
    expect(s.up.statements).toHaveLength(2);
  });

  it('refuses a second -- UP marker, naming both lines', () => {
    const e = fails('-- UP\nSELECT 1;\n-- UP\nSELECT 2;\n');
    expect(e.code).toBe('INVALID_SECTIONS');
    expect(e.location).toEqual({ file: 'migrations/001_x.sql', line: 3 });
    expect(e.message).toContain('line 1');
  });

  it('refuses a second -- DOWN marker', () => {
    expect(fails('-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;\n-- DOWN\nSELECT 3;').location?.line).toBe(5);
  });

  it('refuses a DOWN-only file', () => {
    const e = fails('-- DOWN\nDROP TABLE a;\n');
    expect(e.message).toContain('no -- UP');
  });

  it('reads -- DOWN above -- UP as the same parts, each found by its marker as pycopg does', () => {
    const s = ok('-- header\n-- DOWN\nDROP TABLE a;\n-- UP\nCREATE TABLE a ();\n');
    expect(s.up.statements).toEqual([{ sql: 'CREATE TABLE a ()', line: 5, column: 1 }]);
    expect(s.down?.statements).toEqual([{ sql: 'DROP TABLE a', line: 3, column: 1 }]);
    expect(fails('SELECT 1;\n-- DOWN\nDROP TABLE a;\n-- UP\nCREATE TABLE a ();\n').message).toBe('SQL before -- DOWN would never run');
    expect(fails('-- DOWN\nDROP TABLE a;\n-- pgshift:no-transaction\n-- UP\nCREATE TABLE a ();\n').message).toContain(
      'must come before -- UP and -- DOWN',
    );
  });

  it('refuses an UP part with only comments, as in an untouched template', () => {
    const e = fails(
      '-- Migration: x\n\n-- UP\n-- Write your migration SQL here\n\n\n-- DOWN\n-- Write your rollback SQL here (optional)\n',
    );
    expect(e.code).toBe('EMPTY_MIGRATION');
    expect(e.location?.line).toBe(3);
  });

  it('refuses an empty file', () => {
    expect(fails('').code).toBe('EMPTY_MIGRATION');
  });

  it('treats a DOWN part with only comments as no DOWN, never as the whole file', () => {
    const s = ok('-- UP\nCREATE TABLE a();\n-- DOWN\n-- nothing to undo\n');
    expect(s.down).toBeUndefined();
  });

  it('treats a DOWN marker followed by nothing as a DOWN that needs no SQL', () => {
    const s = ok('-- UP\nUPDATE t SET a = 1;\n-- DOWN\n\n');
    expect(s.down?.statements).toEqual([]);
  });

  it('refuses SQL before -- UP, which would never run', () => {
    const e = fails('CREATE TABLE a();\n-- UP\nCREATE TABLE b();');
    expect(e.location?.line).toBe(1);
  });

  it('reads -- pgshift:no-transaction in the header', () => {
    expect(ok('-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY i ON t (a);').transaction).toBe('none');
    expect(ok('-- pgshift:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);').transaction).toBe('none');
  });

  it('refuses the directive below -- UP and unknown directives', () => {
    expect(fails('-- UP\n-- pgshift:no-transaction\nSELECT 1;').location?.line).toBe(2);
    expect(fails('-- pgshift:no-transactions\n-- UP\nSELECT 1;').message).toContain('unknown directive');
  });

  it('refuses COMMIT in a transactional migration, pointing at it', () => {
    const e = fails('-- UP\nCREATE TABLE a();\n  COMMIT;\nCREATE TABLE b();');
    expect(e.code).toBe('TRANSACTION_CONTROL');
    expect(e.location).toEqual({ file: 'migrations/001_x.sql', line: 3, column: 3 });
  });

  it('refuses BEGIN in a transactional migration but not inside a DO block', () => {
    expect(fails('BEGIN;\nCREATE TABLE a();').code).toBe('TRANSACTION_CONTROL');
    expect(ok('DO $$ BEGIN PERFORM 1; COMMIT; END $$;').up.statements).toHaveLength(1);
  });

  it('refuses CREATE INDEX CONCURRENTLY without the directive, saying to add it', () => {
    const e = fails('-- UP\nCREATE INDEX CONCURRENTLY i ON t (a);');
    expect(e.code).toBe('NEEDS_NO_TRANSACTION');
    expect(e.hint).toContain('-- pgshift:no-transaction');
  });

  it('reports an unterminated dollar quote at the line where it opens', () => {
    const e = fails('-- UP\nCREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n');
    expect(e.code).toBe('UNTERMINATED_SQL');
    expect(e.location?.line).toBe(2);
  });

  it('refuses turning standard_conforming_strings off, which would let the server end strings where the check does not', () => {
    expect(fails('-- UP\nSET standard_conforming_strings = off;\nSELECT 1;').code).toBe('UNSUPPORTED_SQL');
    expect(fails("SELECT set_config('standard_conforming_strings', 'off', false);").code).toBe('UNSUPPORTED_SQL');
    expect(ok('SET standard_conforming_strings = on;').up.statements).toHaveLength(1);
  });

  it('regression: locating every statement of a big file takes one pass, not one per statement', () => {
    const text = 'INSERT INTO t VALUES (1);\n'.repeat(200_000);
    const s = ok(text);
    expect(s.up.statements).toHaveLength(200_000);
    expect(s.up.statements.at(-1)).toMatchObject({ line: 200_000, column: 1 });
  });

  it('refuses psql meta-commands', () => {
    expect(fails('-- UP\n\\connect other\nSELECT 1;').code).toBe('PSQL_META_COMMAND');
  });
});
