/**
 * Migrators sharing a SessionPool: tenants of one database run on the same
 * backends, each in its own schema; a session comes back as new (no
 * advisory lock, temporary table or setting of the run before); a tenant's
 * migration that would reset search_path is refused before anything runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, SessionPool, memorySource } from '../../src/index.js';
import { resetsSearchPath } from '../../src/core/statement-kind.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Backends of this database that pgshift opened, idle or not. */
const pgshiftBackends = async (): Promise<number[]> =>
  (
    await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgshift' ORDER BY pid`,
    )
  ).map((r) => r.pid);

describe('SessionPool', () => {
  it('runs tenants one after another on the same two backends, each migration in its tenant schema, and leaves nothing of a run on the session', async () => {
    const source = memorySource({
      '001_accounts.sql': '-- UP\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE accounts;\n',
      // What a migration may leave on its session: a session-level advisory lock, a temporary table, a prepared statement.
      '002_leftovers.sql':
        '-- UP\nSELECT pg_advisory_lock(4242);\nCREATE TEMP TABLE scratch (x int);\nPREPARE leftover AS SELECT 1;\nCREATE TABLE notes (id int);\n-- DOWN\nDROP TABLE notes;\n',
      // Fails on a session that still holds any of it.
      '003_clean.sql': [
        '-- UP',
        "DO $$ BEGIN IF to_regclass('pg_temp.scratch') IS NOT NULL OR EXISTS (SELECT FROM pg_prepared_statements WHERE name = 'leftover') THEN RAISE EXCEPTION 'a run left its session dirty'; END IF; END $$;",
        'CREATE TABLE clean (id int);',
        '-- DOWN',
        'DROP TABLE clean;',
        '',
      ].join('\n'),
    });
    const pool = new SessionPool();
    const pids = new Set<number>();
    try {
      for (const schema of ['tenant_a', 'tenant_b', 'tenant_c']) {
        const report = await new Migrator({ connection: db.url, schema, source, pool }).migrate();
        expect(report.error).toBeUndefined();
        expect(report.results.map((r) => r.status)).toEqual(['success', 'success', 'success']);
        // Between runs the pool holds the run's sessions, idle; the migration's advisory lock went with its reset.
        for (const pid of await pgshiftBackends()) pids.add(pid);
        expect(await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242`)).toEqual([]);
      }
      expect(pids.size).toBe(2);
    } finally {
      await pool.close();
    }
    expect(await pgshiftBackends()).toEqual([]);
    const tables = await db.query<{ schema: string; tables: string }>(
      `SELECT table_schema AS schema, string_agg(table_name, ',' ORDER BY table_name) AS tables
         FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY 1 ORDER BY 1`,
    );
    expect(tables).toEqual(
      ['tenant_a', 'tenant_b', 'tenant_c'].map((schema) => ({ schema, tables: 'accounts,clean,notes,schema_migrations' })),
    );
  });

  it("refuses a tenant's migration that resets search_path, naming the file and line, before anything runs", async () => {
    const source = memorySource({
      '001_one.sql': '-- UP\nCREATE TABLE one (id int);\n-- DOWN\nDROP TABLE one;\n',
      '002_two.sql':
        '-- UP\nSET search_path TO public;\nCREATE TABLE IF NOT EXISTS public.shared (id int);\nRESET search_path;\nCREATE TABLE two (id int);\n-- DOWN\nDROP TABLE two;\n',
    });
    const pool = new SessionPool();
    try {
      const report = await new Migrator({ connection: db.url, schema: 'tenant_r', source, pool }).migrate();
      expect(report.ok).toBe(false);
      expect(report.results).toEqual([]);
      const problem = report.error!.problems[0]!;
      expect(problem).toMatchObject({ code: 'UNSUPPORTED_SQL', file: expect.stringContaining('002_two.sql'), line: 4 });
      expect(problem.message).toContain('tenant_r');
    } finally {
      await pool.close();
    }
    expect(await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'tenant_r'`)).toEqual([]);
    // The same files without a tenant schema run as written.
    const plain = await new Migrator({ connection: db.url, source, table: 'plain_migrations' }).migrate();
    expect(plain.error).toBeUndefined();
  });

  it('holds no more sessions than maxSessions once runs on other databases end: the least recently used idle ones are closed', async () => {
    const others = await Promise.all([createDatabase(), createDatabase()]);
    const pool = new SessionPool({ maxSessions: 2 });
    const names = [db.name, ...others.map((o) => o.name)];
    const open = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgshift' AND datname = ANY($1)`,
          [names],
        )
      )[0]!.n;
    try {
      const source = memorySource({ '001_t.sql': '-- UP\nCREATE TABLE t (id int);\n-- DOWN\nDROP TABLE t;\n' });
      for (const target of others) {
        const report = await new Migrator({ connection: target.url, source, table: 'capped_migrations', pool }).migrate();
        expect(report.error).toBeUndefined();
        expect(await open()).toBe(2);
      }
    } finally {
      await pool.close();
      await Promise.all(others.map((o) => o.drop()));
    }
  });

  it('tells a reset of search_path from statements that set it', () => {
    const reset = [
      'RESET search_path',
      'reset  SEARCH_PATH',
      'SET search_path TO DEFAULT',
      'set local search_path = default',
      'SET SESSION "search_path" TO DEFAULT',
    ];
    const not = ['SET search_path TO public', 'RESET ROLE', "SELECT set_config('search_path', '', false)", 'SET search_path TO "default"'];
    expect(reset.filter((sql) => !resetsSearchPath({ sql }))).toEqual([]);
    expect(not.filter((sql) => resetsSearchPath({ sql }))).toEqual([]);
  });
});
