import { describe, expect, it } from 'vitest';
import { significantSql } from '../../src/core/sql-normalize.js';

describe("repair's reading of SQL: what the server would see, less comments and spacing", () => {
  it('drops comments and spacing that separate nothing, keeps one space where it does', () => {
    const a = 'CREATE TABLE t (\n  id int, -- the key\n  /* nested /* comment */ */ name text\n);';
    const b = 'create TABLE t(id int,name text);';
    expect(significantSql(a)).toBe('CREATE TABLE t(id int,name text);');
    expect(significantSql(b)).toBe('create TABLE t(id int,name text);');
  });

  it('keeps two operator characters apart when they were apart: < = is not <=', () => {
    expect(significantSql('SELECT 1 < = 2')).not.toBe(significantSql('SELECT 1 <= 2'));
    expect(significantSql('SELECT 1 <=  2')).toBe(significantSql('SELECT 1<=2'));
  });

  it('keeps strings, quoted names and dollar bodies as written, whatever they hold', () => {
    const sql = "SELECT 'a  -- not a comment', E'it\\'s  /*x*/', \"Odd  Name\", $f$ BEGIN  -- kept\n END $f$, $1";
    const out = significantSql(sql);
    for (const kept of ["'a  -- not a comment'", "E'it\\'s  /*x*/'", '"Odd  Name"', '$f$ BEGIN  -- kept\n END $f$', '$1'])
      expect(out).toContain(kept);
  });

  it('reads a name with a dollar sign as one name, as PostgreSQL does', () => {
    expect(significantSql('SELECT a$b$ FROM t')).toBe('SELECT a$b$ FROM t');
  });
});
