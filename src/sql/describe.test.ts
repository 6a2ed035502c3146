import { describe, expect, it } from 'vitest';
import { describeSql, lintSnippet, rulesOf } from '../../test/support/rule-tester.js';

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

describe('statements in bodies and WITH queries', () => {
  it("reads a PL/pgSQL function with its own arguments and result, and a key compared with a variable or parameter as one row's", () => {
    expect(
      rulesOf(
        "CREATE FUNCTION f(p int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN UPDATE orders SET note = 'x'; RETURN p; END $$;\nSELECT f(1);",
      ),
    ).toEqual(['unbatched-dml']);
    expect(rulesOf('DO $$ DECLARE v int := 5; BEGIN DELETE FROM orders WHERE id = v; END $$;')).toEqual([]);
    expect(
      // A loop that changes every row, one at a time, still changes them all in one transaction.
      rulesOf(
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM orders LOOP UPDATE orders SET note = 'x' WHERE id = r.id; END LOOP; END $$;",
      ),
    ).toEqual(['unbatched-dml']);
    expect(rulesOf("UPDATE orders AS o SET note = 'x' WHERE o.id = 7;")).toEqual([]);
  });

  it('reads a WITH query from its own text: its WHERE, its SET, after a column list', () => {
    const [f, ...rest] = lintSnippet("WITH d AS (DELETE FROM orders WHERE id = 1 RETURNING *) UPDATE orders SET note = 'x', amount = 1;");
    expect(rest).toEqual([]);
    expect(f?.lint?.fix).toContain("UPDATE orders SET note = 'x', amount = 1");
    const [g] = lintSnippet("WITH u (a) AS (UPDATE orders SET note = 'x' RETURNING id) SELECT * FROM u;");
    expect(g).toMatchObject({ line: 3, column: 16, lint: { rule: 'unbatched-dml' } });
    const [h] = lintSnippet("UPDATE orders AS o SET note = 'x' WHERE o.note IS NULL;");
    expect(h?.lint?.fix).toContain("UPDATE orders AS o SET note = 'x'");
  });

  it('points a DO block statement at its own line, not at a comment that repeats it', () => {
    const [f] = lintSnippet(
      'DO $$\nBEGIN\n  -- ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n  ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\nEND $$;',
    );
    expect(f).toMatchObject({ line: 6, lint: { rule: 'column-type-rewrite' } });
  });

  it('quotes a name format() fills in with %I', () => {
    const action = describeSql("DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN x int', 'Orders'); END $$;");
    expect(action.kind === 'do' && action.actions[0]?.sql).toBe('ALTER TABLE "Orders" ADD COLUMN x int');
  });

  it('survives a very deep expression', () => {
    expect(rulesOf(`SELECT ${Array.from({ length: 5000 }, () => "'a'").join(' || ')};`)).toEqual([]);
  });
});

describe('defaults as PostgreSQL judges them', () => {
  it('knows a built-in volatile function in any schema, and inlines only what PostgreSQL inlines', () => {
    expect(rulesOf('ALTER TABLE orders ADD COLUMN u uuid DEFAULT extensions.uuid_generate_v4();')).toEqual(['volatile-default']);
    const add = 'ALTER TABLE orders ADD COLUMN z int DEFAULT f();';
    // Measured on PostgreSQL 15: RETURN 1 is inlined (no rewrite); SECURITY DEFINER is not, and VOLATILE rewrites.
    expect(rulesOf(`CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n${add}`)).toEqual([]);
    expect(rulesOf(`CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\n${add}`)).toEqual([
      'volatile-default',
    ]);
  });

  it('keeps the whole default text: an ARRAY of calls, a named DEFAULT', () => {
    const [f] = lintSnippet('ALTER TABLE orders ADD COLUMN k float8[] DEFAULT ARRAY[random(), random()];');
    expect(f?.message).toContain('DEFAULT ARRAY[random(), random()]');
    const named = describeSql('ALTER TABLE t ADD COLUMN z int CONSTRAINT d DEFAULT 5');
    expect(named.kind === 'alter-table' && named.actions[0]?.kind === 'add-column' && named.actions[0].column.default).toBe('5');
  });

  it('finds the tables of a domain whose name is quoted', () => {
    const context = 'CREATE DOMAIN "Code" AS text;\nALTER TABLE orders ADD COLUMN c "Code";';
    expect(rulesOf(`ALTER DOMAIN "Code" ADD CONSTRAINT k CHECK (VALUE <> '');`, { context })).toEqual(['alter-domain-constraint']);
  });
});
