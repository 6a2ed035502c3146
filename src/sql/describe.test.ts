import { describe, expect, it } from 'vitest';
import { describeSql, lintSnippet } from '../../test/support/rule-tester.js';

describe("the lint's reading of PostgreSQL's parse tree", () => {
  it('keeps the text a safe rewrite reuses: a default, a CHECK, an UPDATE, where CONCURRENTLY goes', () => {
    const add = describeSql(
      "ALTER TABLE orders ADD COLUMN é text DEFAULT 'ünï' || random()::text NOT NULL, ADD CONSTRAINT c CHECK (amount > 0)",
    );
    expect(add).toMatchObject({
      kind: 'alter-table',
      actions: [
        {
          kind: 'add-column',
          at: 19,
          column: { name: 'é', type: 'text', notNull: true, default: "'ünï' || random()::text", defaultCalls: ['random'] },
        },
        { kind: 'add-constraint', constraint: { name: 'c', type: 'check', text: 'CHECK (amount > 0)', notValid: false } },
      ],
    });
    expect(describeSql('UPDATE orders SET note = upper(note) WHERE id BETWEEN 1 AND 10 RETURNING id')).toEqual({
      kind: 'update',
      table: 'orders',
      setText: 'SET note = upper(note)',
      where: { text: 'id BETWEEN 1 AND 10', pointColumns: [], range: true },
    });
    const sql = 'CREATE /* a comment */ UNIQUE INDEX i ON sales."Order" (code, lower(note))';
    const index = describeSql(sql);
    expect(index).toMatchObject({ kind: 'create-index', table: 'sales.Order', unique: true, columns: ['code'] });
    expect(index.kind === 'create-index' && sql.slice(0, index.insertAt)).toBe('CREATE /* a comment */ UNIQUE INDEX');
  });

  it('reads types as PostgreSQL resolves them, whatever the spelling', () => {
    const types = ['int', 'character varying(20)', 'DECIMAL(10, 2)', 'timestamp with time zone', 'double precision', 'text[]'].map((t) => {
      const a = describeSql(`ALTER TABLE t ALTER COLUMN c TYPE ${t}`);
      return a.kind === 'alter-table' && a.actions[0]?.kind === 'alter-type' ? a.actions[0].type : undefined;
    });
    expect(types).toEqual(['integer', 'varchar(20)', 'numeric(10,2)', 'timestamptz', 'double precision', 'text[]']);
  });

  it('points a finding inside a DO block at its own line', () => {
    const [f] = lintSnippet('DO $$\nBEGIN\n  IF true THEN\n    ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n  END IF;\nEND $$;');
    // Line 1 is `-- UP`, line 2 the SET lock_timeout, the DO block starts on line 3.
    expect(f).toMatchObject({ line: 6, lint: { rule: 'column-type-rewrite' } });
  });

  it('gives a statement PostgreSQL refuses no shape rather than a guess', () => {
    expect(describeSql('CREAT INDEX i ON orders (note)')).toEqual({ kind: 'other', tables: [] });
  });
});

describe('the safe way for a column added with a constraint', () => {
  it('adds the column bare first', () => {
    const found = lintSnippet('ALTER TABLE orders ADD COLUMN qty int DEFAULT 1 CHECK (qty > 0);').find((f) => f.lint?.rule === 'add-check');
    expect(found?.lint?.fix).toContain(
      'ALTER TABLE orders ADD COLUMN qty integer DEFAULT 1;\nALTER TABLE orders ADD CONSTRAINT orders_qty_check CHECK (qty > 0) NOT VALID;',
    );
  });
});
