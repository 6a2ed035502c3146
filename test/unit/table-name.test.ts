import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/problem.js';
import { parseTableName, type TableName } from '../../src/core/table-name.js';

describe('tracking table names', () => {
  it('quotes plain and schema-qualified names, folding case as PostgreSQL does', () => {
    expect((parseTableName('schema_migrations') as TableName).sql).toBe('"schema_migrations"');
    expect((parseTableName('Ops.Migrations') as TableName).sql).toBe('"ops"."migrations"');
  });

  it('accepts reserved words, since the name is always quoted', () => {
    expect((parseTableName('user') as TableName).sql).toBe('"user"');
  });

  it('refuses injection attempts and names PostgreSQL would truncate', () => {
    for (const bad of ['x; DROP TABLE users', 'a"b', 'a.b.c', '', '1abc', 'x'.repeat(64), "t'--"]) {
      const result = parseTableName(bad);
      expect(result, bad).toHaveProperty('severity', 'error');
      expect((result as Problem).code).toBe('INVALID_TABLE_NAME');
    }
  });
});
