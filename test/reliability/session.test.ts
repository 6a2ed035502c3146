/**
 * A migration may change its session, and pgshift's own state must not
 * depend on it: search_path, role, settings, temporary objects, prepared
 * statements, cursors, encoding, the advisory lock, the tracking table.
 * Each case runs the built CLI on a real PostgreSQL and checks what really
 * happened (tables, tracking rows, an audit of who ran what), not only what
 * the output says.
 */
import { describe, expect, it } from 'vitest';
import { holdAdvisoryLock, tableExists, trackedVersions, type RelDatabase } from '../support/reliability-db.js';
import { GATE } from '../support/reliability-migrations.js';
import { processSuite } from '../support/reliability-suite.js';
import { openMigrationsDir, runCliFully, startCli, waitUntil, type CliRun } from '../support/reliability.js';

const suite = processSuite('session');
const { figures, conn } = suite;
const AREA = 'A migration changes its session';

interface Doc {
  ok: boolean;
  applied?: { version: number }[];
  not_executed?: { version: number }[];
  error?: { code: string; message: string; file?: string };
}
const migrate = (db: RelDatabase, dir: string, extra: string[] = []) =>
  runCliFully(['migrate', '--dir', dir, '--json', ...extra], { env: { DATABASE_URL: conn(db) } });
const doc = (run: CliRun) => JSON.parse(run.stdout) as Doc;
const applied = (run: CliRun) => (doc(run).applied ?? []).map((a) => a.version);
const up = (sql: string) => `-- UP\n${sql}\n`;

/** Each case: migration 001 changes the session; the later ones must run, and be recorded, as if it had not. */
interface Case {
  readonly name: string;
  readonly holds: string;
  readonly setup?: (db: RelDatabase) => Promise<void>;
  readonly files: Record<string, string>;
  readonly check: (db: RelDatabase, run: CliRun) => Promise<void>;
}

const CASES: readonly Case[] = [
  {
    name: 'SET search_path to a schema that has a table named like the tracking table',
    holds:
      'the tracking rows go to the table resolved at the start (public.schema_migrations), never to app.schema_migrations; a second run applies nothing',
    setup: async (db) => {
      await db.query(
        'CREATE SCHEMA app; CREATE TABLE app.schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
    },
    files: {
      '001_path.sql': up('SET search_path TO app;\nCREATE TABLE in_app (id int);'),
      '002_next.sql': up('CREATE TABLE public.after_path (id int);'),
    },
    check: async (db, run) => {
      expect(applied(run)).toEqual([1, 2]);
      expect(await trackedVersions(db)).toEqual([1, 2]);
      expect(await db.query('SELECT * FROM app.schema_migrations')).toEqual([]);
      expect(await tableExists(db, 'app.in_app')).toBe(true);
    },
  },
  {
    name: 'SET ROLE to a role that may not write the tracking table',
    holds: 'the tracking row is written as the connecting user, and the next migration runs as that user again',
    setup: async (db) => {
      await db.query(`DO $$ BEGIN CREATE ROLE pgshift_rel_weak NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await db.query(`GRANT pgshift_rel_weak TO CURRENT_USER`).catch(() => {});
      await db.query('CREATE TABLE who (step int, usr text)');
      await db.query('GRANT INSERT ON who TO pgshift_rel_weak');
    },
    files: {
      '001_role.sql': up('SET ROLE pgshift_rel_weak;\nINSERT INTO who VALUES (1, current_user);'),
      '002_next.sql': up('INSERT INTO who VALUES (2, current_user);'),
    },
    check: async (db, run) => {
      expect(applied(run), run.stdout).toEqual([1, 2]);
      const rows = await db.query<{ step: number; usr: string }>('SELECT step, usr FROM who ORDER BY step');
      expect(rows[0]?.usr).toBe('pgshift_rel_weak');
      expect(rows[1]?.usr).not.toBe('pgshift_rel_weak');
    },
  },
  {
    name: 'SET statement_timeout, default_transaction_read_only and lock_timeout',
    holds: 'none of them leaks into the next migration, which sleeps, writes and takes locks as it would alone',
    files: {
      '001_settings.sql': up("SET statement_timeout = '1ms';\nSET default_transaction_read_only = on;\nSET lock_timeout = '1ms';"),
      '002_next.sql': up('SELECT pg_sleep(0.05);\nCREATE TABLE after_settings (id int);'),
    },
    check: async (db, run) => {
      expect(applied(run), run.stdout).toEqual([1, 2]);
      expect(await tableExists(db, 'after_settings')).toBe(true);
    },
  },
  {
    name: 'a temporary table, a prepared statement and a cursor WITH HOLD left behind',
    holds: 'the next migration can create each of them again under the same name',
    files: {
      '001_leftovers.sql': up(
        'CREATE TEMP TABLE scratch (id int);\nPREPARE twice AS SELECT 1;\nDECLARE held CURSOR WITH HOLD FOR SELECT 1;',
      ),
      '002_again.sql': up(
        'CREATE TEMP TABLE scratch (id int);\nPREPARE twice AS SELECT 2;\nDECLARE held CURSOR WITH HOLD FOR SELECT 2;\nCREATE TABLE after_leftovers (id int);',
      ),
    },
    check: async (db, run) => {
      expect(applied(run), run.stdout).toEqual([1, 2]);
      expect(await tableExists(db, 'after_leftovers')).toBe(true);
    },
  },
  {
    name: "SET client_encoding = 'LATIN1'",
    holds: 'the next migration and its tracking name are sent and stored as UTF-8, unchanged',
    files: {
      '001_encoding.sql': up("SET client_encoding = 'LATIN1';"),
      '002_café.sql': up('CREATE TABLE "café_ünïcode" (id int);'),
    },
    check: async (db, run) => {
      expect(applied(run), run.stdout).toEqual([1, 2]);
      expect(await tableExists(db, '"café_ünïcode"')).toBe(true);
      const [row] = await db.query<{ name: string }>('SELECT name FROM schema_migrations WHERE version = 2');
      expect(row?.name).toBe('café');
    },
  },
  {
    name: 'standard_conforming_strings turned off by a route the file check cannot see (a function)',
    holds:
      'the next migration is read by the server as pgshift read it: a COMMIT that only scs = off would reveal never runs, and the migration commits whole',
    files: {
      '001_off.sql': up(
        "CREATE FUNCTION turn_off() RETURNS text LANGUAGE sql AS $$ SELECT set_config('standard' || '_conforming_strings', 'of' || 'f', false) $$;\nSELECT turn_off();",
      ),
      '002_hidden.sql': up("CREATE TABLE half (id int);\nSELECT 'a\\''; COMMIT; SELECT ''';\nCREATE TABLE whole (id int);"),
    },
    check: async (db, run) => {
      expect(applied(run), run.stdout).toEqual([1, 2]);
      expect(await tableExists(db, 'half')).toBe(true);
      expect(await tableExists(db, 'whole')).toBe(true);
    },
  },
];

describe('a migration that changes its session', () => {
  for (const c of CASES) {
    const title = `${c.name}: ${c.holds}`;
    it(title, async () => {
      figures.describe(title, AREA, `migration 001 runs \`${c.name}\`; later migrations follow in the same run`, c.holds);
      const db = await suite.database();
      await c.setup?.(db);
      const { dir } = await openMigrationsDir(c.files);
      const run = await migrate(db, dir);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      await c.check(db, run);
      const again = await migrate(db, dir);
      expect(applied(again)).toEqual([]);
      figures.add(title, 'migrations applied', applied(run).length);
    });
  }
});

/** Each case: a migration that damages pgshift's own state fails, nothing of it stays, and nothing after it runs. */
interface Damage {
  readonly name: string;
  readonly holds: string;
  readonly files: Record<string, string>;
  readonly setup?: (db: RelDatabase) => Promise<void>;
  readonly message: string;
  /** Versions tracked afterwards. */
  readonly tracked: number[];
}

const DAMAGES: readonly Damage[] = [
  {
    name: 'a migration deletes rows of the tracking table',
    holds: 'it fails and its transaction rolls back: the rows are still there, the next migration does not run',
    files: {
      '001_a.sql': up('CREATE TABLE a (id int);'),
      '002_forget.sql': up('DELETE FROM schema_migrations;'),
      '003_b.sql': up('CREATE TABLE b (id int);'),
    },
    message: 'the migration changed rows of the tracking table schema_migrations',
    tracked: [1],
  },
  {
    name: 'a migration edits a tracking row',
    holds: 'it fails and rolls back',
    files: { '001_a.sql': up('CREATE TABLE a (id int);'), '002_edit.sql': up("UPDATE schema_migrations SET checksum = 'forged';") },
    message: 'the migration changed rows of the tracking table schema_migrations',
    tracked: [1],
  },
  {
    name: 'a migration empties the tracking table with TRUNCATE',
    holds: 'it fails and rolls back',
    files: { '001_a.sql': up('CREATE TABLE a (id int);'), '002_truncate.sql': up('TRUNCATE schema_migrations;') },
    message: 'the migration emptied or rewrote the tracking table schema_migrations',
    tracked: [1],
  },
  {
    name: 'a trigger that swallows inserts into the tracking table',
    holds: 'the migration whose row it swallows fails and rolls back; the history never claims what did not happen',
    files: {
      '001_trap.sql': up(
        'CREATE FUNCTION swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\nCREATE TRIGGER swallow BEFORE INSERT ON schema_migrations FOR EACH ROW EXECUTE FUNCTION swallow();',
      ),
      '002_b.sql': up('CREATE TABLE b (id int);'),
    },
    message: 'the tracking row of version 1 was not written to schema_migrations',
    tracked: [],
  },
  {
    name: 'a no-transaction migration deletes a tracking row',
    holds: 'the run stops right after it with what was removed; nothing more runs',
    files: {
      '001_a.sql': up('CREATE TABLE a (id int);'),
      '002_forget.sql': `-- pgshift:no-transaction\n${up('DELETE FROM schema_migrations WHERE version = 1;')}`,
      '003_b.sql': up('CREATE TABLE b (id int);'),
    },
    message: 'the migration changed rows of the tracking table schema_migrations; its statements took effect but it is not recorded',
    tracked: [],
  },
  {
    name: 'client_connection_check_interval reset by a route the file check cannot see (a function)',
    holds: 'on PostgreSQL 14+ it fails and rolls back: a killed run could otherwise be committed by the server after all',
    files: {
      '001_a.sql': up('CREATE TABLE a (id int);'),
      '002_reset.sql': up(
        "CREATE FUNCTION quiet() RETURNS text LANGUAGE sql AS $$ SELECT set_config('client_connection' || '_check_interval', '0', false) $$;\nSELECT quiet();\nCREATE TABLE reset_marker (id int);",
      ),
    },
    message: 'the migration reset client_connection_check_interval',
    tracked: [1],
  },
];

describe('a migration that damages pgshift’s own state', () => {
  for (const d of DAMAGES) {
    const title = `${d.name}: ${d.holds}`;
    it(title, async () => {
      figures.describe(title, AREA, d.name, d.holds);
      const db = await suite.database();
      const [version] = await db.query<{ n: number }>(`SELECT current_setting('server_version_num')::int AS n`);
      const checksInterval = (version?.n ?? 0) >= 140_000;
      const { dir } = await openMigrationsDir(d.files);
      const run = await migrate(db, dir);
      if (d.name.startsWith('client_connection_check_interval') && !checksInterval) {
        // Before 14 there is no client_connection_check_interval to lose: RESET ALL is harmless.
        expect(run.code).toBe(0);
        return;
      }
      expect(run.code, run.stdout).toBe(1);
      expect(doc(run).error?.message).toContain(d.message);
      expect(await trackedVersions(db)).toEqual(d.tracked);
      expect(await tableExists(db, 'b')).toBe(false);
      if (d.name.startsWith('client_connection_check_interval')) expect(await tableExists(db, 'reset_marker')).toBe(false);
      figures.add(title, 'damages caught');
    });
  }
});

describe('the migration lock', () => {
  const UNLOCK =
    'a no-transaction migration releases every advisory lock (pg_advisory_unlock_all, DISCARD ALL): a second run still waits, and the migration runs once';
  it(UNLOCK, async () => {
    figures.describe(
      UNLOCK,
      AREA,
      'run A parked in a no-transaction migration that ran pg_advisory_unlock_all() and DISCARD ALL; run B started meanwhile',
      'B waits for A, then finds nothing to do: each statement ran once',
    );
    const db = await suite.database();
    const held = await holdAdvisoryLock(db.url, GATE);
    suite.cleanup(held.release);
    const { dir } = await openMigrationsDir({
      '001_release.sql': `-- pgshift:no-transaction\n-- UP\nSELECT pg_advisory_unlock_all();\nINSERT INTO audit (version, op) VALUES (1, 'up');\nSELECT pg_advisory_lock_shared(${GATE});\nSELECT pg_advisory_unlock_shared(${GATE});\n`,
    });
    const runA = startCli(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(
      async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit`))[0]?.n === 1,
      'run A inside its migration',
    );
    const runB = startCli(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(
      async () => (await db.sessions('pgshift')).some((s) => s.state === 'idle' && /pg_try_advisory_lock/.test(s.query) && !s.holds_lock),
      'run B polling for the lock',
    );
    await held.release();
    const [a, b] = await Promise.all([runA.done, runB.done]);
    expect([a.code, b.code], a.stdout + b.stdout).toEqual([0, 0]);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit WHERE version = 1`))[0]?.n).toBe(1);
    expect(doc(b)).toMatchObject({ applied: [] });
    figures.add(UNLOCK, 'processes', 2);
  });

  const LOST = 'the lock’s session is terminated mid-run: the run stops before the next migration and says so';
  it(LOST, async () => {
    figures.describe(
      LOST,
      AREA,
      'pg_terminate_backend() on the session holding the migration lock while migration 001 is parked',
      'exit 1, LOCK_LOST; 001 completes (it was running), 002 does not run',
    );
    const db = await suite.database();
    const held = await holdAdvisoryLock(db.url, GATE);
    suite.cleanup(held.release);
    const { dir } = await openMigrationsDir({
      '001_parked.sql': up(`SELECT pg_advisory_xact_lock_shared(${GATE});\nCREATE TABLE parked (id int);`),
      '002_after.sql': up('CREATE TABLE after_lost (id int);'),
    });
    const run = startCli(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } });
    let lockPid = 0;
    await waitUntil(async () => {
      lockPid = (await db.sessions('pgshift')).find((s) => s.holds_lock && /pg_try_advisory_lock/.test(s.query))?.pid ?? 0;
      return lockPid > 0 && (await db.sessions('pgshift')).some((s) => s.wait_event === 'advisory');
    }, 'the run parked in 001, holding the lock on its own session');
    await db.query('SELECT pg_terminate_backend($1)', [lockPid]);
    await held.release();
    const done = await run.done;
    expect(done.code, done.stdout).toBe(1);
    expect(doc(done).error).toMatchObject({ code: 'LOCK_LOST' });
    expect(await trackedVersions(db)).toEqual([1]);
    expect(await tableExists(db, 'after_lost')).toBe(false);
    figures.add(LOST, 'backends terminated');
  });
});
