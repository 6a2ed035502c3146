import { describe, expect, it } from 'vitest';
import { lintSnippet, rulesOf, testRule } from '../../../../test/support/rule-tester.js';

testRule('not-analysed', {
  invalid: [
    "DO $$ DECLARE stmt text := 'ALTER TABLE orders ALTER COLUMN amount TYPE bigint'; BEGIN EXECUTE stmt; END $$;",
    "DO LANGUAGE plperl $$ spi_exec_query('ALTER TABLE orders ALTER COLUMN amount TYPE bigint'); $$;",
    `CREATE PROCEDURE run(fmt text, t text) LANGUAGE plpgsql AS $$ BEGIN EXECUTE format(fmt, t); END $$;
CALL run('ALTER TABLE %I ADD COLUMN x int', 'orders');`,
  ],
  valid: [
    "DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok'); END $$;",
    // SQL in a constant string is read like any other, and so is SQL made of constants and names filled in at run time.
    "DO $$ BEGIN EXECUTE 'CREATE TYPE mood AS ENUM (''ok'')'; END $$;",
    "DO $$ DECLARE t text := 'orders'; BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN x int', t); END $$;",
    // Created, never called: nothing of it runs.
    "CREATE PROCEDURE widen(t text) LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER TABLE ' || t || ' ADD COLUMN x int'; END $$;",
  ],
});

describe('statements inside DO blocks and called routines', () => {
  it('are linted as the statements they are, each at its own line', () => {
    expect(rulesOf('DO $$\nBEGIN\n  ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\nEND $$;')).toEqual(['column-type-rewrite']);
    expect(rulesOf("DO $$ BEGIN EXECUTE 'CREATE INDEX orders_note_idx ON orders (note)'; END $$;")).toEqual(['create-index']);
    expect(rulesOf("DO $$ BEGIN EXECUTE format('ALTER TABLE %I ALTER COLUMN amount TYPE bigint', 'orders'); END $$;")).toEqual([
      'column-type-rewrite',
    ]);
    const [f] = lintSnippet("DO $$ DECLARE t text; BEGIN EXECUTE 'CREATE INDEX ON ' || quote_ident(t) || ' (note)'; END $$;");
    expect(f?.message).toContain('on "<t>"');
  });

  it('are linted where a routine the migration defined is called, and not where it is defined', () => {
    const define = 'CREATE FUNCTION fill() RETURNS void LANGUAGE sql AS $$ UPDATE orders SET note = amount::text $$;';
    expect(rulesOf(define)).toEqual([]);
    expect(rulesOf(`${define}\nSELECT fill();`)).toEqual(['unbatched-dml']);
  });

  it('judges a default calling a function the migration defined as PostgreSQL does: by what it declares, or by its body once inlined', () => {
    const add = 'ALTER TABLE orders ADD COLUMN c text DEFAULT next_code();';
    const plpgsql = (volatility: string) =>
      `CREATE FUNCTION next_code() RETURNS text LANGUAGE plpgsql ${volatility} AS $$ BEGIN RETURN 'x'; END $$;\n`;
    expect(rulesOf(`${plpgsql('')}${add}`)).toEqual(['volatile-default']);
    expect(rulesOf(`${plpgsql('STABLE')}${add}`)).toEqual([]);
    // A LANGUAGE sql function of one expression is inlined (measured: a VOLATILE one returning a constant rewrites nothing).
    const sql = (body: string) => `CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT ${body} $$;\n`;
    expect(rulesOf(`${sql("'x'")}${add}`)).toEqual([]);
    expect(rulesOf(`${sql('md5(random()::text)')}${add}`)).toEqual(['volatile-default']);
  });
});
