/**
 * Schema-per-tenant through the library's Fleet: 200 schemas in one
 * database, each migration run in its tenant's schema (a no-transaction one
 * too), one tracking table per schema, the per-server cap kept.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, Migrator, memorySource, type FleetEvent } from '../../src/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

const SCHEMAS = 200;
let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const source = memorySource({
  '001_accounts.sql': '-- UP\nCREATE TABLE accounts (id int PRIMARY KEY, email text);\n-- DOWN\nDROP TABLE accounts;\n',
  '002_email_index.sql':
    '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n-- DOWN\nDROP INDEX CONCURRENTLY accounts_email;\n',
  '003_search_path.sql': '-- UP\nSET search_path = public;\nCREATE TABLE IF NOT EXISTS public.shared (id int);\n-- DOWN\nSELECT 1;\n',
});
const tenant = (i: number) => `tenant_${String(i).padStart(3, '0')}`;

describe('Fleet, schema per tenant', () => {
  it('migrates 200 schemas of one database, each in its own schema with its own tracking table, never more than perServer at once', async () => {
    let running = 0;
    let most = 0;
    const onFleetEvent = (event: FleetEvent | { type: 'run-start' }) => {
      if (event.type === 'target-start') most = Math.max(most, ++running);
      if (event.type === 'target-done') running--;
    };
    const fleet = new Fleet({
      source,
      targets: Array.from({ length: SCHEMAS }, (_, i) => ({ id: tenant(i), schema: tenant(i) })),
      env: {},
      defaultConnection: db.url,
      concurrency: 16,
      perServer: 6,
      ledgerDir: await mkdtemp(join(tmpdir(), 'pgshift-ledger-')),
      onFleetEvent,
    });
    const report = await fleet.migrate();
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ done: SCHEMAS, failed: 0 });
    expect(most).toBeLessThanOrEqual(6);
    expect(most).toBeGreaterThan(1);

    const rows = await db.query<{ schema: string; n: string; index: string | null }>(`
      SELECT n.nspname AS schema,
             (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.schema_migrations', n.nspname), false, true, '')))[1]::text AS n,
             (SELECT i.relname::text FROM pg_class i WHERE i.relnamespace = n.oid AND i.relname = 'accounts_email') AS index
        FROM pg_namespace n WHERE n.nspname LIKE 'tenant\\_%' ORDER BY 1`);
    expect(rows).toHaveLength(SCHEMAS);
    expect(rows.every((r) => r.n === '3' && r.index === 'accounts_email')).toBe(true);
    // Nothing landed in public but what a migration put there by name; no tracking table there.
    const publicTables = await db.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
    );
    expect(publicTables.map((r) => r.relname)).toEqual(['shared']);

    const status = await fleet.status();
    expect(status.histogram).toBe(`${SCHEMAS} at 3`);
    expect(status.pendingTargets).toBe(0);
  });

  it('a Migrator with schema keeps its tracking table and lock in that schema, whatever search_path the migration sets', async () => {
    const migrator = new Migrator({ connection: db.url, source, schema: 'Tenant_X' });
    expect(migrator.table.display).toBe('tenant_x.schema_migrations');
    const report = await migrator.migrate({ status: true });
    expect(report.ok).toBe(true);
    expect(report.status?.currentVersion).toBe(3);
    const [row] = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM tenant_x.schema_migrations');
    expect(row?.n).toBe('3');
    expect(() => new Migrator({ connection: db.url, schema: 'a.b' })).toThrow(/schema must be a plain name/);
    // A Fleet never throws: bad settings come back as problems, before anything runs.
    const bad = await new Fleet({
      source,
      targets: [{ id: 'x', schema: 'x' }],
      env: {},
      defaultConnection: db.url,
      lockWaitMs: -1,
    }).migrate();
    expect(bad.runId).toBeUndefined();
    expect(bad.problems.map((p) => p.message)).toEqual(['lockWaitMs must be a whole number of milliseconds ≥ 0, got -1']);
  });
});
