/**
 * The production view of the lint: table sizes read from a real catalog's
 * estimates (never by counting), and named on verify's findings about those
 * tables, with the lint given them up front.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableSizes } from '../../src/postgres/table-sizes.js';
import { gitSource, Migrator } from '../../src/index.js';
import { adminUrl, createDatabase, type TestDatabase } from '../support/db.js';
import { commit, git, gitRepo } from '../support/git.js';

const BASE = '-- UP\nCREATE TABLE orders (id int PRIMARY KEY, note text);\nCREATE SCHEMA sales;\nCREATE TABLE sales."Big" (id int);\n';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase();
  const client = new pg.Client(db.url);
  await client.connect();
  // Production: the base applied, with rows.
  await client.query(BASE.replace('-- UP\n', ''));
  await client.query("INSERT INTO orders SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g; ANALYZE orders");
  await client.end();
});
afterAll(() => db.drop());

describe('table sizes for the lint', () => {
  it('come from the catalog: analysed rows and bytes, never-analysed as such, every table of the database', async () => {
    const sizes = await tableSizes(db.url);
    expect(sizes.get('public.orders')).toEqual({ rows: 20000, bytes: expect.any(Number) });
    expect(sizes.get('public.orders')!.bytes).toBeGreaterThan(2_000_000);
    expect(sizes.get('sales.Big')?.rows).toBe(-1);
    expect([...sizes.keys()].filter((k) => k.startsWith('pg_') || k.startsWith('information_schema'))).toEqual([]);
  });

  it("are named on verify's findings about those tables", async () => {
    const repo = await gitRepo();
    await commit(repo, { 'migrations/001_base.sql': BASE });
    git(repo, 'checkout', '-q', '-b', 'feature');
    await writeFile(
      join(repo, 'migrations/002_idx.sql'),
      '-- UP\nSET lock_timeout = \'1s\';\nCREATE INDEX orders_note_idx ON orders (note);\nCREATE INDEX big_idx ON sales."Big" (id);\n',
    );
    const report = await new Migrator({ dir: join(repo, 'migrations') }).verify({
      base: gitSource({ ref: 'main', dir: 'migrations', cwd: repo }),
      baseName: 'main',
      scratchUrl: adminUrl(),
      production: db.url,
    });
    expect(report.findings.map((f) => [f.lint?.rule, f.lint?.size])).toEqual([
      ['create-index', expect.stringMatching(/^≈20 k rows, \d+\.\d MB$/)],
      ['create-index', expect.stringMatching(/^never analysed, /)],
    ]);
  });
});
