import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memorySource, Migrator, type MigratorOptions } from '../../src/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';

let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});

async function setup(files: Record<string, string>, options: Partial<MigratorOptions> = {}) {
  const db = await createDatabase();
  databases.push(db);
  const dir = await migrationsDir(files);
  const migrator = new Migrator({ connection: db.url, dir, ...options });
  return { db, dir, migrator };
}

const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n';
/** Waits until some session of this database holds an advisory lock, i.e. a run is under way. */
async function lockTaken(db: TestDatabase): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (row && row.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no run took the lock');
}
const tables = async (db: TestDatabase) =>
  (await db.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map(
    (r) => r.t,
  );
const versions = async (db: TestDatabase, table = 'schema_migrations') =>
  (await db.query<{ v: string }>(`SELECT version::text AS v FROM ${table} ORDER BY version`)).map((r) => Number(r.v));

describe('migrate', () => {
  it('applies pending migrations in version order and records checksum and duration', async () => {
    const { db, migrator } = await setup({ '002_orders.sql': ORDERS, '001_users.sql': USERS });
    const report = await migrator.migrate();
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.version, r.status])).toEqual([
      [1, 'success'],
      [2, 'success'],
    ]);
    const rows = await db.query(`SELECT version, name, checksum, duration_ms FROM schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.name)).toEqual(['users', 'orders']);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof row.duration_ms).toBe('number');
    }
  });

  it('reports the status after the run when asked, for a run that applied and for a no-op', async () => {
    const { migrator } = await setup({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const first = await migrator.migrate({ target: 1, status: true });
    expect(first.status).toMatchObject({ appliedCount: 1, pendingCount: 1, currentVersion: 1, tableExists: true });
    const noop = await migrator.migrate({ target: 1, status: true });
    expect(noop.results).toEqual([]);
    expect(noop.status).toMatchObject({ appliedCount: 1, pendingCount: 1 });
    const back = await migrator.rollback({ steps: 1 }, { status: true });
    expect(back.status).toMatchObject({ appliedCount: 0, pendingCount: 2, currentVersion: null });
    expect((await migrator.migrate()).status).toBeUndefined();
  });

  it('does nothing the second time and says so', async () => {
    const { migrator } = await setup({ '001_users.sql': USERS });
    await migrator.migrate();
    const again = await migrator.migrate();
    expect(again).toMatchObject({ ok: true, results: [], waitedForLock: false });
  });

  it('a failing statement leaves neither its table nor a tracking row, and points at its line and column', async () => {
    const { db, dir, migrator } = await setup({
      '001_users.sql': USERS,
      '002_bad.sql': '-- UP\nCREATE TABLE half (id int);\n\nINSERT INTO half VALUES (1);\nSELECT 1/0;\nCREATE TABLE never (id int);\n',
      '003_orders.sql': ORDERS,
    });
    const report = await migrator.migrate();
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => r.status)).toEqual(['success', 'error', 'not-executed']);
    expect(report.error?.code).toBe('MIGRATION_FAILED');
    expect(report.error?.problem.server?.sqlstate).toBe('22012');
    expect(report.error?.problem).toMatchObject({ file: join(dir, '002_bad.sql'), line: 5, column: 1 });
    expect(await tables(db)).toEqual(['schema_migrations', 'users']);
    expect(await versions(db)).toEqual([1]);
  });

  it('regression: the ROLLBACK after a failure is not counted as one of the migration statements', async () => {
    // An error without a position is placed on the statement after the last completed one;
    // the ROLLBACK that follows completes a command too and once shifted the count.
    for (let i = 0; i < 6; i++) {
      const { dir, migrator } = await setup({ '001_x.sql': 'CREATE TABLE a ();\nDROP TABLE nope;\nCREATE TABLE b ();\n' });
      const report = await migrator.migrate();
      expect(report.error?.problem).toMatchObject({ file: join(dir, '001_x.sql'), line: 2, column: 1 });
    }
  });

  it('maps the server error position to the line and column in the file', async () => {
    const { dir, migrator } = await setup({
      '003_create_orders.sql':
        '-- Migration: orders\n\n-- UP\nCREATE TABLE orders (\n  id int,\n  note text\n);\n\n\n\n\nSELECT * FROM\n    users;\n',
    });
    const report = await migrator.migrate();
    expect(report.error?.format()).toBe(`${join(dir, '003_create_orders.sql')}:13:5: relation "users" does not exist (42P01)`);
  });

  it('applies up to an inclusive target and never rolls back for one', async () => {
    const { db, migrator } = await setup({ '001_users.sql': USERS, '002_orders.sql': ORDERS, '003_x.sql': 'CREATE TABLE x ();' });
    expect((await migrator.migrate({ target: 2 })).results.map((r) => r.version)).toEqual([1, 2]);
    expect(await versions(db)).toEqual([1, 2]);
    expect((await migrator.migrate({ target: 1 })).results).toEqual([]);
    expect(await versions(db)).toEqual([1, 2]);
  });

  it('applies a late-merged lower version with a warning, and refuses it with strictOrder', async () => {
    const { db, dir, migrator } = await setup({ '001_users.sql': USERS, '003_x.sql': 'CREATE TABLE x ();' });
    await migrator.migrate();
    await writeFile(join(dir, '002_orders.sql'), ORDERS);
    const strict = await new Migrator({ connection: db.url, dir, strictOrder: true }).migrate();
    expect(strict.error?.code).toBe('OUT_OF_ORDER');
    expect(await versions(db)).toEqual([1, 3]);
    const report = await migrator.migrate();
    expect(report.ok).toBe(true);
    expect(report.warnings.map((w) => w.code)).toEqual(['OUT_OF_ORDER']);
    expect(await versions(db)).toEqual([1, 2, 3]);
  });

  it('refuses to run while an applied file has been edited, and status says which', async () => {
    const { db, dir, migrator } = await setup({ '001_users.sql': USERS });
    await migrator.migrate();
    await writeFile(join(dir, '001_users.sql'), USERS.replace('email', 'mail'));
    await writeFile(join(dir, '002_orders.sql'), ORDERS);
    const report = await migrator.migrate();
    expect(report.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(report.error?.problem.hint).toContain('new migration');
    expect(await versions(db)).toEqual([1]);
    const status = await migrator.status();
    expect(status.applied[0]?.fileState).toBe('changed');
    expect(status.problems.map((p) => p.code)).toEqual(['CHECKSUM_MISMATCH']);
  });

  it('status, plan and validate report a bad name, a parse error and an edited applied file together; migrate refuses with all of them', async () => {
    const { db, dir, migrator } = await setup({ '001_users.sql': USERS });
    await migrator.migrate();
    await writeFile(join(dir, '001_users.sql'), USERS.replace('email', 'mail'));
    await writeFile(join(dir, 'add_orders.sql'), ORDERS);
    await writeFile(join(dir, '002_broken.sql'), '-- UP\nCREATE TABLE t (id int);\nCOMMIT;\n');
    const expected = ['INVALID_FILE_NAME', 'TRANSACTION_CONTROL', 'CHECKSUM_MISMATCH'];
    expect((await migrator.status()).problems.map((p) => p.code)).toEqual(expected);
    const plan = await migrator.plan();
    expect(plan.ok).toBe(false);
    expect(plan.problems.map((p) => p.code)).toEqual(expected);
    const validation = await migrator.validate();
    expect(validation.problems.map((p) => p.code)).toEqual(expected);
    expect(validation.problems[1]).toMatchObject({ file: join(dir, '002_broken.sql'), line: 3, column: 1 });
    const report = await migrator.migrate();
    expect(report.error?.problems.map((p) => p.code)).toEqual(expected);
    expect(await versions(db)).toEqual([1]);
  });

  it('runs migrations handed from memory, checked as files are', async () => {
    const db = await createDatabase();
    databases.push(db);
    const source = memorySource({ '001_users.sql': USERS, '002_orders.sql': ORDERS, 'notes.txt': 'not a migration' });
    const migrator = new Migrator({ connection: db.url, source });
    expect((await migrator.migrate()).results.map((r) => [r.file, r.status])).toEqual([
      ['migrations/001_users.sql', 'success'],
      ['migrations/002_orders.sql', 'success'],
    ]);
    expect(await tables(db)).toEqual(['orders', 'schema_migrations', 'users']);
    const bad = new Migrator({ source: memorySource({ '1_x.sql': '-- UP\n', 'y.sql': '' }) });
    expect((await bad.validate()).problems.map((p) => p.code)).toEqual(['INVALID_FILE_NAME', 'EMPTY_MIGRATION']);
  });

  it('treats CRLF line endings as the same content', async () => {
    const { dir, migrator } = await setup({ '001_users.sql': USERS });
    await migrator.migrate();
    await writeFile(join(dir, '001_users.sql'), USERS.replace(/\n/g, '\r\n'));
    expect((await migrator.status()).problems).toEqual([]);
  });

  it('reports an applied migration whose file is gone, and refuses to migrate', async () => {
    const { dir, migrator } = await setup({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    await migrator.migrate({ target: 1 });
    await rm(join(dir, '001_users.sql'));
    const status = await migrator.status();
    expect(status.applied[0]?.fileState).toBe('missing');
    expect((await migrator.migrate()).error?.code).toBe('MISSING_FILE');
  });

  it('status, plan and pending never create the tracking table', async () => {
    const { db, migrator } = await setup({ '001_users.sql': USERS });
    const status = await migrator.status();
    expect(status).toMatchObject({ appliedCount: 0, pendingCount: 1, tableExists: false });
    const plan = await migrator.plan();
    expect(plan.pending[0]).toMatchObject({ version: 1, name: 'users', statements: 1, transaction: 'transaction', hasDown: true });
    expect(plan.pending[0]?.sql).toContain('CREATE TABLE users');
    expect(await migrator.pending()).toHaveLength(1);
    expect(await tables(db)).toEqual([]);
  });

  it('uses a schema-qualified tracking table, creating the schema', async () => {
    const { db, migrator } = await setup({ '001_users.sql': USERS }, { table: 'ops.migrations' });
    expect((await migrator.migrate()).ok).toBe(true);
    expect(await versions(db, 'ops.migrations')).toEqual([1]);
  });

  it('applies each migration exactly once when many migrators start at once', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 25; i++)
      files[`${String(i).padStart(3, '0')}_t${i}.sql`] = `CREATE TABLE t${i} (id int);\nINSERT INTO t${i} VALUES (${i});`;
    const { db, dir } = await setup(files);
    const runs = await Promise.all(Array.from({ length: 8 }, () => new Migrator({ connection: db.url, dir }).migrate()));
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(runs.flatMap((r) => r.results.filter((x) => x.status === 'success')).length).toBe(25);
    expect(await versions(db)).toHaveLength(25);
  });

  it('applies the statement and lock timeouts to the migrations', async () => {
    const { db, migrator } = await setup({ '001_slow.sql': 'SELECT pg_sleep(5);' }, { statementTimeoutMs: 100 });
    const report = await migrator.migrate();
    expect(report.error?.problem.server?.sqlstate).toBe('57014');
    expect(report.error?.problem).toMatchObject({ settings: ['statementTimeout'], hint: expect.stringContaining('the statement timeout') });
    expect(await tables(db)).toEqual(['schema_migrations']);
  });

  it('refuses a file with a version too big for a pycopg INTEGER column, saying how to widen it', async () => {
    const { db, migrator } = await setup({ '20240115103000_x.sql': 'CREATE TABLE x ();' });
    await db.query(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())',
    );
    const report = await migrator.migrate();
    expect(report.error?.code).toBe('TRACKING_TABLE_INVALID');
    expect(report.error?.problem.hint).toContain('TYPE bigint');
  });
});

describe('a database pycopg migrated', () => {
  const pycopgTable =
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())';

  it('counts its rows as applied with unknown checksums, and adds pgshift columns only when migrating', async () => {
    const { db, migrator } = await setup({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    await db.query(pycopgTable);
    await db.query(USERS.split('-- DOWN')[0]!.replace('-- UP', ''));
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (1, 'users')`);
    const status = await migrator.status();
    expect(status.applied).toMatchObject([{ version: 1, name: 'users', checksum: null, fileState: 'unknown' }]);
    expect(status.pending.map((p) => p.version)).toEqual([2]);
    const columns = async () =>
      (
        await db.query<{ c: string }>(
          `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'schema_migrations' ORDER BY ordinal_position`,
        )
      ).map((r) => r.c);
    expect(await columns()).toEqual(['version', 'name', 'applied_at']);
    expect((await migrator.migrate()).ok).toBe(true);
    expect(await columns()).toEqual(['version', 'name', 'applied_at', 'checksum', 'duration_ms']);
    // pycopg goes on working: it inserts only version and name, and reads three columns.
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (3, 'from_pycopg')`);
    const rows = await db.query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('refuses a tracking table missing a column or with one of another type', async () => {
    const { db, migrator } = await setup({ '001_users.sql': USERS });
    await db.query('CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, name TEXT, applied_at TIMESTAMPTZ)');
    expect((await migrator.migrate()).error?.code).toBe('TRACKING_TABLE_INVALID');
    await db.query('DROP TABLE schema_migrations; CREATE TABLE schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ)');
    const report = await migrator.migrate();
    expect(report.error?.message).toContain('has no name column');
    await expect(migrator.status()).rejects.toMatchObject({ code: 'TRACKING_TABLE_INVALID' });
  });
});

describe('no-transaction migrations', () => {
  it('run statement by statement, so CREATE INDEX CONCURRENTLY works', async () => {
    const { db, migrator } = await setup({
      '001_users.sql': USERS,
      '002_index.sql':
        '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY idx_users_email ON users (email);\nCREATE INDEX CONCURRENTLY idx_users_id ON users (id);\n-- DOWN\nDROP INDEX CONCURRENTLY idx_users_email;\nDROP INDEX CONCURRENTLY idx_users_id;\n',
    });
    expect((await migrator.migrate()).ok).toBe(true);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_users_%' ORDER BY 1`)).toHaveLength(2);
    expect((await migrator.rollback()).ok).toBe(true);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_users_%'`)).toHaveLength(0);
    expect(await versions(db)).toEqual([1]);
  });

  it('that fail part way are not recorded, and the error says which statement failed and that earlier ones took effect', async () => {
    const { db, dir, migrator } = await setup({
      '001_partial.sql': '-- pgshift:no-transaction\n-- UP\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE a (id int);\n',
    });
    const report = await migrator.migrate();
    expect(report.error?.problem).toMatchObject({ file: join(dir, '001_partial.sql'), line: 5, column: 1 });
    expect(report.error?.message).toContain('statement 3 of 3');
    expect(report.error?.message).toContain('statements 1 to 2 took effect');
    expect(await tables(db)).toEqual(['a', 'b', 'schema_migrations']);
    expect(await versions(db)).toEqual([]);
  });

  it('a statement PostgreSQL refuses in a transaction gets a hint to add the directive, from the file check or from the server', async () => {
    const db = await createDatabase();
    databases.push(db);
    // DETACH ... CONCURRENTLY is found by the file check, before anything runs.
    const detach = await new Migrator({
      connection: db.url,
      dir: await migrationsDir({ '001_p.sql': 'ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;\n' }),
    }).migrate();
    expect(detach.error?.code).toBe('NEEDS_NO_TRANSACTION');
    expect(detach.error?.problem.hint).toContain('-- pgshift:no-transaction');
    // CREATE DATABASE from a function is one no file check can see: the server refuses it with 25001.
    const dir = await migrationsDir({ '001_f.sql': "DO $$ BEGIN EXECUTE 'CREATE DATABASE never'; END $$;\n" });
    const report = await new Migrator({ connection: db.url, dir }).migrate();
    expect(report.error?.problem.server?.sqlstate).toBe('25001');
    expect(report.error?.problem.hint).toContain('-- pgshift:no-transaction');
  });
});

describe('rollback', () => {
  const three = { '001_users.sql': USERS, '002_orders.sql': ORDERS, '003_x.sql': '-- UP\nCREATE TABLE x ();\n-- DOWN\nDROP TABLE x;\n' };

  it('undoes the most recently applied migrations first, one by default', async () => {
    const { db, migrator } = await setup(three);
    await migrator.migrate();
    const one = await migrator.rollback();
    expect(one.results.map((r) => [r.version, r.status])).toEqual([[3, 'success']]);
    const two = await migrator.rollback({ steps: 2 });
    expect(two.results.map((r) => r.version)).toEqual([2, 1]);
    expect(await tables(db)).toEqual(['schema_migrations']);
    expect(await versions(db)).toEqual([]);
  });

  it('undoes everything above a target version', async () => {
    const { db, migrator } = await setup(three);
    await migrator.migrate();
    expect((await migrator.rollback({ target: 1 })).results.map((r) => r.version)).toEqual([3, 2]);
    expect(await versions(db)).toEqual([1]);
  });

  it('undoes nothing when one of the migrations has no DOWN part', async () => {
    const { db, dir, migrator } = await setup({ ...three, '002_orders.sql': 'CREATE TABLE orders ();' });
    await migrator.migrate();
    const report = await migrator.rollback({ steps: 3 });
    expect(report.error?.code).toBe('NO_DOWN_SECTION');
    expect(report.error?.problem.file).toBe(join(dir, '002_orders.sql'));
    expect(await versions(db)).toEqual([1, 2, 3]);
    expect(await tables(db)).toContain('x');
  });

  it('undoes nothing when a migration to undo was edited', async () => {
    const { db, dir, migrator } = await setup(three);
    await migrator.migrate();
    await writeFile(join(dir, '003_x.sql'), (await readFile(join(dir, '003_x.sql'), 'utf8')) + '\n-- edited\n');
    expect((await migrator.rollback()).error?.code).toBe('CHECKSUM_MISMATCH');
    expect(await versions(db)).toEqual([1, 2, 3]);
  });

  it('a failing DOWN keeps its tracking row and what it dropped', async () => {
    const { db, migrator } = await setup({ '001_users.sql': '-- UP\nCREATE TABLE u ();\n-- DOWN\nDROP TABLE u;\nDROP TABLE nope;\n' });
    await migrator.migrate();
    const report = await migrator.rollback();
    expect(report.error?.code).toBe('ROLLBACK_FAILED');
    expect(report.error?.problem.line).toBe(5);
    expect(await tables(db)).toContain('u');
    expect(await versions(db)).toEqual([1]);
  });
});

describe('locking', () => {
  it('a run that cannot get the lock in time names the holder and changes nothing', async () => {
    const { db, dir } = await setup({ '001_slow.sql': 'CREATE TABLE slow (); SELECT pg_sleep(3);', '002_x.sql': 'CREATE TABLE x ();' });
    const first = new Migrator({ connection: db.url, dir }).migrate();
    await lockTaken(db);
    const events: string[] = [];
    const second = await new Migrator({ connection: db.url, dir, lockWaitMs: 300, onEvent: (e) => events.push(e.type) }).migrate();
    expect(second.error?.code).toBe('LOCK_WAIT_TIMEOUT');
    expect(second.error?.message).toMatch(/application_name "pgshift", pid \d+/);
    expect(second.waitedForLock).toBe(true);
    expect(events).toContain('lock-wait');
    expect((await first).ok).toBe(true);
    expect(await versions(db)).toEqual([1, 2]);
  });

  it('two projects with different tracking tables do not block each other', async () => {
    const { db, dir } = await setup({ '001_slow.sql': 'SELECT pg_sleep(2);' });
    const other = await migrationsDir({ '001_quick.sql': 'CREATE TABLE quick ();' });
    const slow = new Migrator({ connection: db.url, dir, table: 'slow_migrations' }).migrate();
    await lockTaken(db);
    const quick = await new Migrator({ connection: db.url, dir: other, table: 'quick_migrations', lockWaitMs: 500 }).migrate();
    expect(quick.ok).toBe(true);
    expect(quick.waitedForLock).toBe(false);
    expect((await slow).ok).toBe(true);
  });
});

describe('create', () => {
  it('writes the next file from the template and never overwrites', async () => {
    const dir = await migrationsDir({ '0007_a.sql': 'SELECT 1;' });
    const migrator = new Migrator({ dir });
    const created = await migrator.create('Add Orders Table', new Date('2026-11-24T10:30:00Z'));
    expect(created).toEqual({ path: join(dir, '0008_add_orders_table.sql'), version: 8, name: 'add_orders_table' });
    const text = await readFile(created.path, 'utf8');
    expect(text).toContain('-- Migration: add_orders_table');
    expect(text).toContain('-- Created: 2026-11-24T10:30:00');
    expect(text).toMatch(/^-- UP$/m);
    expect(text).toMatch(/^-- DOWN$/m);
    await expect(migrator.create('!!!')).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });

  it('a freshly created file is refused until SQL is written into it', async () => {
    const db = await createDatabase();
    databases.push(db);
    const dir = await migrationsDir();
    const migrator = new Migrator({ connection: db.url, dir });
    await migrator.create('todo');
    const report = await migrator.migrate();
    expect(report.error?.code).toBe('EMPTY_MIGRATION');
    expect(await tables(db)).toEqual([]);
  });
});
