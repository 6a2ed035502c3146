/**
 * The production view of the lint: table sizes read from a real catalog's
 * estimates (never by counting), and put on the findings about those tables.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSizes } from '../../src/core/lint/lint.js';
import { tableSizes } from '../../src/postgres/table-sizes.js';
import { Migrator, memorySource } from '../../src/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase();
  const client = new pg.Client(db.url);
  await client.connect();
  await client.query(
    'CREATE TABLE orders (id int PRIMARY KEY, note text); INSERT INTO orders SELECT g, repeat($$x$$, 100) FROM generate_series(1, 20000) g; ANALYZE orders',
  );
  await client.query('CREATE SCHEMA sales; CREATE TABLE sales."Big" (id int)');
  await client.end();
});
afterAll(() => db.drop());

describe('table sizes for the lint', () => {
  it('come from the catalog: analysed rows and bytes, never-analysed as such, unknown tables left out', async () => {
    const sizes = await tableSizes(db.url, ['orders', 'sales.Big', 'nope']);
    expect(sizes.get('orders')).toEqual({ rows: 20000, bytes: expect.any(Number) });
    expect(sizes.get('orders')!.bytes).toBeGreaterThan(2_000_000);
    expect(sizes.get('sales.Big')?.rows).toBe(-1);
    expect(sizes.has('nope')).toBe(false);
  });

  it('are named on the findings about those tables', async () => {
    const source = memorySource({
      '001_x.sql':
        '-- UP\nSET lock_timeout = \'1s\';\nCREATE INDEX orders_note_idx ON orders (note);\nCREATE INDEX big_idx ON sales."Big" (id);\n',
    });
    const report = await new Migrator({ source }).lint();
    const sized = withSizes(report.findings, await tableSizes(db.url, ['orders', 'sales.Big']));
    expect(sized.map((f) => f.lint?.size)).toEqual([
      expect.stringMatching(/^≈20 k rows, \d+\.\d MB$/),
      expect.stringMatching(/^never analysed, /),
    ]);
  });
});
