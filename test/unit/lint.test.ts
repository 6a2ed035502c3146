import { describe, expect, it } from 'vitest';
import { Migrator, memorySource, type LintSettings, type Problem } from '../../src/index.js';
import { BASE } from '../support/rule-tester.js';

interface Case {
  readonly files?: Record<string, string>;
  readonly lint?: LintSettings;
  readonly lockTimeoutMs?: number;
}

/** Lints `up` as migration 002 (with SET lock_timeout first unless `timeout` is false) on BASE. */
async function findings(up: string, options: Case & { readonly timeout?: boolean; readonly header?: string } = {}): Promise<Problem[]> {
  const timeout = options.timeout === false ? '' : "SET lock_timeout = '2s';\n";
  const files = options.files ?? { '001_base.sql': BASE, '002_change.sql': `${options.header ?? ''}-- UP\n${timeout}${up}\n` };
  const migrator = new Migrator({
    source: memorySource(files),
    ...(options.lint && { lint: options.lint }),
    ...(options.lockTimeoutMs !== undefined && { lockTimeoutMs: options.lockTimeoutMs }),
  });
  const report = await migrator.lint({ files: [Object.keys(files).at(-1)!] });
  expect(report.problems).toEqual([]);
  return [...report.findings];
}
const rules = async (up: string, options?: Parameters<typeof findings>[1]) => (await findings(up, options)).map((f) => f.lint?.rule);

// Each rule's hazard and safe forms are in src/core/lint/rules/<rule>.test.ts; these are what all findings share.
describe('lint findings: words, fix and position', () => {
  it('every finding says what it blocks, what to do instead and how to accept it, at the statement', async () => {
    const [f] = await findings('CREATE INDEX orders_status_idx ON orders (status);');
    expect(f).toMatchObject({ code: 'LINT', severity: 'error', file: 'migrations/002_change.sql', line: 3, column: 1, version: 2 });
    expect(f!.message).toBe(
      'Creating index orders_status_idx on orders without CONCURRENTLY holds SHARE on the table for the whole build: writes wait.',
    );
    expect(f!.hint).toContain('-- pgshift:safe create-index <why>');
    // The safe way is ready SQL in pgshift's format, with the real names, in a no-transaction migration.
    expect(f!.lint?.fix).toBe(
      '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n\n-- DOWN\nDROP INDEX CONCURRENTLY orders_status_idx;\n',
    );
    expect(f!.lint).toMatchObject({ rule: 'create-index', family: 'index-not-concurrent', relation: 'orders', statementLines: [3, 3] });
  });

  it('points at the part of a multi-line ALTER TABLE that is the hazard, one finding per hazard family', async () => {
    const found = await findings(
      'ALTER TABLE orders\n  ADD COLUMN region text,\n  ADD CONSTRAINT a CHECK (amount > 0),\n  ADD CONSTRAINT b CHECK (price > 0),\n  DROP COLUMN note;',
    );
    expect(found.map((f) => [f.lint?.rule, f.line])).toEqual([
      ['add-check', 5],
      ['drop-column', 7],
    ]);
    expect(found[0]!.lint?.statementLines).toEqual([3, 7]);
  });
});

describe('lint context', () => {
  it('a table created in the same file, or earlier in the same deploy, is empty: locking it is harmless', async () => {
    const up =
      'CREATE TABLE items (id int PRIMARY KEY, sku text);\nCREATE INDEX items_sku_idx ON items (sku);\nALTER TABLE items ALTER COLUMN sku SET NOT NULL;';
    expect(await rules(up)).toEqual([]);
    const files = {
      '001_base.sql': BASE,
      '002_items.sql': '-- UP\nCREATE TABLE items (id int PRIMARY KEY, sku text);\n',
      '003_index.sql': '-- UP\nCREATE INDEX items_sku_idx ON items (sku);\n',
    };
    const together = await new Migrator({ source: memorySource(files) }).lint({ files: ['002_items.sql', '003_index.sql'] });
    expect(together.findings).toEqual([]);
    // Deployed one by one, the table is in use by the time the index is built.
    const alone = await new Migrator({ source: memorySource(files) }).lint({ files: ['003_index.sql'] });
    expect(alone.findings.map((f) => f.lint?.rule)).toEqual(['create-index', 'lock-timeout'].slice(0, 1));
    expect(alone.cleared).toEqual([]);
  });

  it('says which matches the context cleared, and why', async () => {
    const migrator = new Migrator({
      source: memorySource({
        '001_base.sql': BASE,
        '002_x.sql': "-- UP\nSET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN status TYPE varchar(40);\n",
      }),
    });
    const report = await migrator.lint({ files: ['002_x.sql'] });
    expect(report.cleared).toEqual([
      {
        file: 'migrations/002_x.sql',
        line: 3,
        endLine: 3,
        rule: 'column-type-rewrite',
        reason: 'varchar(10) to varchar(40) is binary-compatible: no rewrite, no scan',
      },
    ]);
  });

  it('only the UP part is linted: DOWN runs on rollback, not on deploy', async () => {
    const text = `-- UP\nSET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN region text;\n-- DOWN\nALTER TABLE orders DROP COLUMN region;\nDROP TABLE customers;\n`;
    expect(await findings('', { files: { '001_base.sql': BASE, '002_x.sql': text } })).toEqual([]);
  });

  it('knows the transaction mode: batches in one transaction add up, in a no-transaction migration they commit one by one', async () => {
    const batches =
      "UPDATE orders SET note = 'x' WHERE id BETWEEN 1 AND 1000;\nUPDATE orders SET note = 'x' WHERE id BETWEEN 1001 AND 2000;";
    expect(await rules(batches)).toEqual(['unbatched-dml']);
    expect(await rules(batches, { header: '-- pgshift:no-transaction\n' })).toEqual([]);
    // VALIDATE in the transaction that added the constraint NOT VALID holds its ACCESS EXCLUSIVE through the scan.
    const validate = 'ALTER TABLE orders ADD CONSTRAINT p CHECK (price >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT p;';
    expect(await rules(validate)).toEqual(['validate-in-same-transaction']);
    expect(await rules('ALTER TABLE orders VALIDATE CONSTRAINT p;')).toEqual([]);
  });

  it('SET NOT NULL after a CHECK validated in the same migration uses the check (PostgreSQL 12+)', async () => {
    const up = [
      'ALTER TABLE orders ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT amount_nn;',
      'ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;',
    ].join('\n');
    expect(await rules(up)).toEqual(['validate-in-same-transaction']);
    // A CHECK that lets NULL through proves nothing.
    expect(await rules('ALTER TABLE orders ALTER COLUMN price SET NOT NULL;')).toEqual(['set-not-null']);
  });

  it('knows the lock_timeout pgshift runs the migrations with: one set there needs none in the file', async () => {
    const up = 'ALTER TABLE orders ADD COLUMN a text;';
    expect(await rules(up, { timeout: false })).toEqual(['lock-timeout']);
    expect(await rules(up, { timeout: false, lockTimeoutMs: 5000 })).toEqual([]);
  });

  it('a DO block is said to be not analysed; a function body is never run at deploy, so it is not linted', async () => {
    const fn = 'CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ UPDATE orders SET note = null $$;';
    expect(await rules(fn)).toEqual([]);
  });
});

describe('lint: versions, levels and acknowledgements', () => {
  it('follows the target PostgreSQL major', async () => {
    const constant = "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';";
    expect(await rules(constant, { lint: { postgresVersion: 10 } })).toEqual(['add-column-default']);
    expect(await rules(constant, { lint: { postgresVersion: 11 } })).toEqual([]);
    const enumValue = "ALTER TYPE mood ADD VALUE 'sad';";
    expect(await rules(enumValue, { lint: { postgresVersion: 11 } })).toEqual(['enum-value-in-transaction']);
    expect(await rules(enumValue, { lint: { postgresVersion: 12 } })).toEqual([]);
    expect(await rules('ALTER TABLE orders ALTER COLUMN note SET NOT NULL;', { lint: { postgresVersion: 11 } })).toEqual(['set-not-null']);
    const [reindex] = await findings('REINDEX INDEX orders_created_at_idx;', { lint: { postgresVersion: 11 } });
    expect(reindex!.lint?.fix).toBeUndefined();
    expect(reindex!.hint).toContain('before PostgreSQL 12');
  });

  it('levels: a rule set to warning or off, and the error and off modes', async () => {
    const drop = 'ALTER TABLE orders DROP COLUMN note;';
    expect((await findings(drop))[0]!.severity).toBe('warning');
    expect((await findings(drop, { lint: { mode: 'error' } }))[0]!.severity).toBe('error');
    expect(await findings(drop, { lint: { rules: { 'drop-column': 'off' } } })).toEqual([]);
    expect((await findings('TRUNCATE orders;', { lint: { rules: { truncate: 'error' } } }))[0]!.severity).toBe('error');
    expect(await findings('TRUNCATE orders;', { lint: { mode: 'off' } })).toEqual([]);
    let error: unknown;
    try {
      new Migrator({ lint: { rules: { 'no-such-rule': 'off' } as never, mode: 'loud' as never } });
    } catch (e) {
      error = e;
    }
    expect((error as { problems: Problem[] }).problems.map((p) => p.message)).toEqual([
      'the lint option: lint mode must be error, warn or off, got "loud"',
      'the lint option: no lint rule is named "no-such-rule"',
    ]);
  });

  it('-- pgshift:safe above the statement, or above -- UP for the whole file, accepts a finding with its reason', async () => {
    const above = await findings('-- pgshift:safe drop-column the app stopped reading it in v2.3\nALTER TABLE orders DROP COLUMN note;');
    expect(above).toHaveLength(1);
    expect(above[0]).toMatchObject({
      severity: 'warning',
      lint: { rule: 'drop-column', acknowledged: 'the app stopped reading it in v2.3' },
    });
    const whole = await findings('CREATE INDEX a ON orders (note);\nCREATE INDEX b ON orders (amount);', {
      header: '-- pgshift:safe create-index orders is tiny in every environment\n',
    });
    expect(whole.map((f) => [f.severity, f.lint?.acknowledged])).toEqual([
      ['warning', 'orders is tiny in every environment'],
      ['warning', 'orders is tiny in every environment'],
    ]);
    // Another rule, or a comment not right above, accepts nothing.
    const other = await findings('-- pgshift:safe drop-table no\nALTER TABLE orders DROP COLUMN note;');
    expect(other[0]!.lint?.acknowledged).toBeUndefined();
    const apart = await findings('-- pgshift:safe drop-column ok\n\nALTER TABLE orders DROP COLUMN note;');
    expect(apart[0]!.lint?.acknowledged).toBeUndefined();
  });

  it('a -- pgshift:safe that names no rule or gives no reason is an error on its line', async () => {
    const found = await findings('-- pgshift:safe drop-colum typo\n-- pgshift:safe drop-column\nSELECT 1;');
    expect(found.map((f) => [f.code, f.line, f.message])).toEqual([
      ['INVALID_ACKNOWLEDGEMENT', 3, '"-- pgshift:safe drop-colum" names no lint rule'],
      ['INVALID_ACKNOWLEDGEMENT', 4, '"-- pgshift:safe drop-column" gives no reason'],
    ]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  it('without files, every migration is linted as its own deploy; with unknown files, a usage problem', async () => {
    const source = memorySource({
      '001_base.sql': BASE,
      '002_x.sql': "-- UP\nSET lock_timeout = '1s';\nCREATE INDEX i ON orders (note);\n",
    });
    const all = await new Migrator({ source }).lint();
    expect(all.files).toEqual(['migrations/001_base.sql', 'migrations/002_x.sql']);
    expect(all.findings.map((f) => [f.file, f.lint?.rule])).toEqual([['migrations/002_x.sql', 'create-index']]);
    expect(all.ok).toBe(false);
    const missing = await new Migrator({ source }).lint({ files: ['009_nope.sql'] });
    expect(missing.problems.map((p) => p.code)).toEqual(['USAGE']);
  });
});
