/**
 * Lock timeouts retried, against a real PostgreSQL: another session holds a
 * lock on the table a migration alters; the migration runs with a short
 * lock_timeout and retries (a short backoff, so the test does not sleep
 * long), and a third session that queries the table meanwhile must never
 * wait behind the migration longer than about the lock timeout.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { memorySource, Migrator, runReportJson, type LockRetryEvent, type MigratorEvent } from '../../src/index.js';
import { progressLine } from '../../src/frontend/progress.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

const LOCK_TIMEOUT_MS = 300;
const BACKOFF = { firstMs: 150, maxMs: 300 };
const SECRET = 'hunter2-secret';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

async function session(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  cleanup.push(() => client.end());
  return client;
}

/** A database with table t at version 1, and a blocker: a transaction that read t (holding ACCESS SHARE on it) and stays open. */
async function blocked(): Promise<{ db: TestDatabase; blocker: pg.Client; pid: number }> {
  const db = await createDatabase();
  cleanup.push(() => db.drop());
  await new Migrator({ connection: db.url, source: memorySource({ '001_t.sql': CREATE_T }) }).migrate();
  const blocker = await session(db.url, 'report-job');
  const [{ pid }] = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
  await blocker.query('BEGIN');
  await blocker.query(`SELECT count(*) FROM t WHERE id = 42 OR note = '${SECRET}'`);
  return { db, blocker, pid };
}

const CREATE_T = "-- UP\nCREATE TABLE t (id int PRIMARY KEY, note text);\nINSERT INTO t SELECT g, 'n' FROM generate_series(1, 100) g;\n";
const ALTER_T = '-- UP\nALTER TABLE t ADD COLUMN added text;\n-- DOWN\nALTER TABLE t DROP COLUMN added;\n';

const migratorOn = (db: TestDatabase, files: Record<string, string>, lockRetries: number, onEvent: (e: MigratorEvent) => void) =>
  new Migrator({
    connection: db.url,
    source: memorySource({ '001_t.sql': CREATE_T, ...files }),
    lockTimeoutMs: LOCK_TIMEOUT_MS,
    lockRetries,
    lockRetryBackoff: BACKOFF,
    onEvent,
  });

const columns = async (db: TestDatabase) =>
  (
    await db.query<{ c: string }>(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`,
    )
  ).map((r) => r.c);

describe('a migration that runs out of lock_timeout', () => {
  it('is rolled back and retried until the blocker ends; nobody waits behind it longer than about the lock timeout; each retry is a progress line', async () => {
    const { db, blocker, pid } = await blocked();
    // The third session: its statement_timeout, a little above the lock timeout, fires only if it waits behind the migration for longer.
    const reader = await session(db.url, 'reader');
    await reader.query(`SET statement_timeout = ${LOCK_TIMEOUT_MS + 700}`);
    const retries: LockRetryEvent[] = [];
    const migrator = migratorOn(db, { '002_add.sql': ALTER_T }, 10, (event) => {
      if (event.type !== 'lock-retry') return;
      retries.push(event);
      // The blocker ends after the third retry: by then the migration has waited behind it three times.
      if (retries.length === 3) void blocker.query('COMMIT');
    });
    let running = true;
    const reads = (async () => {
      let n = 0;
      while (running) {
        await reader.query('SELECT count(*) FROM t'); // throws "canceling statement due to statement timeout" if it waited too long
        n++;
        await new Promise((r) => setTimeout(r, 20));
      }
      return n;
    })();
    const report = await migrator.migrate().finally(() => (running = false));
    expect(await reads).toBeGreaterThan(0);

    expect(report.error?.message).toBeUndefined();
    expect(report.results.map((r) => [r.version, r.status, r.lockRetries])).toEqual([[2, 'success', retries.length]]);
    expect(runReportJson(report)).toMatchObject({ applied: [{ version: 2, lock_retries: retries.length }] });
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(await columns(db)).toEqual(['id', 'note', 'added']);

    expect(retries.map((e) => e.retry)).toEqual(retries.map((_, i) => i + 1));
    const first = retries[0]!;
    expect(first).toMatchObject({ retries: 10, relation: 't' });
    expect(first.blockers).toEqual([
      expect.objectContaining({ pid, applicationName: 'report-job', state: 'idle in transaction', holds: true, user: expect.any(String) }),
    ]);
    // The blocker's query, literals as placeholders: never the values.
    expect(first.blockers[0]!.query).toBe('SELECT count(*) FROM t WHERE id = $1 OR note = $2');
    const lines = retries.map((e) => progressLine(e)?.text ?? '');
    expect(lines[0]).toMatch(
      /^ {2}⟳ migrations\/002_add\.sql {2}lock timeout on t behind pid \d+ \("report-job", idle in transaction, transaction open .+\); retry 1 of 10 in \d+ ms$/,
    );
    expect(lines[2]).toContain('retry 3 of 10');
    for (const line of lines) expect(line).not.toContain(SECRET);
  });

  it('fails once its retries are spent, naming the blocking session, the table and the tracking table unchanged', async () => {
    const { db, pid } = await blocked();
    const events: MigratorEvent[] = [];
    const report = await migratorOn(db, { '002_add.sql': ALTER_T }, 1, (e) => events.push(e)).migrate();
    expect(report.ok).toBe(false);
    expect(events.filter((e) => e.type === 'lock-retry')).toHaveLength(1);
    expect(report.results.map((r) => [r.version, r.status, r.lockRetries])).toEqual([[2, 'error', 1]]);
    expect(runReportJson(report)).toMatchObject({ failed: { version: 2, lock_retries: 1 } });
    const problem = report.error!.problems[0]!;
    expect(problem).toMatchObject({ code: 'MIGRATION_FAILED', file: 'migrations/002_add.sql', line: 2, server: { sqlstate: '55P03' } });
    expect(problem.message).toContain('canceling statement due to lock timeout; gave up after 1 retry; it waited for a lock on t behind ');
    expect(problem.message).toContain(`pid ${pid} (user `);
    expect(problem.message).toContain('application_name "report-job", idle in transaction, transaction open ');
    expect(problem.message).toContain(
      'holds the lock): SELECT count(*) FROM t WHERE id = $1 OR note = $2; its transaction was rolled back',
    );
    expect(problem.message).not.toContain(SECRET);
    expect(problem.hint).toContain('lock retries');
    expect(await columns(db)).toEqual(['id', 'note']);
    expect(await db.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: '1' }]);
  });

  it("with no retries and no lock timeout asked for, is not watched: the failure is the server's, as before", async () => {
    const { db } = await blocked();
    const report = await new Migrator({
      connection: db.url,
      source: memorySource({ '001_t.sql': CREATE_T, '002_add.sql': `-- UP\nSET lock_timeout = '200ms';\n${ALTER_T.slice(6)}` }),
    }).migrate();
    expect(report.ok).toBe(false);
    expect(report.error!.problems[0]!.message).toMatch(/^canceling statement due to lock timeout$/);
    expect(report.results[0]!.lockRetries).toBeUndefined();
  });
});

describe('a migration that sets its own lock_timeout, run with retries', () => {
  it('is retried all the same, and the blocker it waited behind is named', async () => {
    const { db, pid } = await blocked();
    const events: MigratorEvent[] = [];
    const report = await new Migrator({
      connection: db.url,
      source: memorySource({ '001_t.sql': CREATE_T, '002_add.sql': `-- UP\nSET lock_timeout = '200ms';\n${ALTER_T.slice(6)}` }),
      lockRetries: 1,
      lockRetryBackoff: BACKOFF,
      onEvent: (e) => events.push(e),
    }).migrate();
    expect(report.ok).toBe(false);
    expect(events.filter((e) => e.type === 'lock-retry')).toHaveLength(1);
    expect(report.error!.problems[0]!.message).toContain(`gave up after 1 retry; it waited for a lock on t behind pid ${pid} (`);
  });
});

describe('a no-transaction migration that runs out of lock_timeout', () => {
  it('CREATE INDEX CONCURRENTLY: the invalid index it left is dropped before the statement is retried', async () => {
    const db = await createDatabase();
    cleanup.push(() => db.drop());
    await new Migrator({ connection: db.url, source: memorySource({ '001_t.sql': CREATE_T }) }).migrate();
    // A writer's open transaction: CREATE INDEX CONCURRENTLY makes its (invalid) index, then waits for it to end.
    const writer = await session(db.url, 'writer');
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO t VALUES (1000, '${SECRET}')`);
    const retries: LockRetryEvent[] = [];
    let leftBehind: Promise<unknown> | undefined;
    const files = { '002_index.sql': '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY t_note ON t (note);\n' };
    const report = await migratorOn(db, files, 3, (e) => {
      if (e.type !== 'lock-retry') return;
      retries.push(e);
      // Seen as the retry is announced, before the wait ends: what the attempt that timed out left.
      leftBehind = db.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('t_note')`);
      void writer.query('COMMIT');
    }).migrate();
    expect(report.error?.message).toBeUndefined();
    expect(retries.map((e) => [e.retry, e.line])).toEqual([[1, 3]]);
    expect(await leftBehind).toEqual([{ indisvalid: false }]);
    expect(progressLine(retries[0]!)?.text).toContain('002_index.sql:3  lock timeout');
    expect(progressLine(retries[0]!)?.text).toContain('retry 1 of 3 (this statement)');
    expect(
      await db.query(
        `SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass ORDER BY 1`,
      ),
    ).toEqual([
      { relname: 't_note', indisvalid: true },
      { relname: 't_pkey', indisvalid: true },
    ]);
  });

  it('a DO block is not retried, and the error says why', async () => {
    const { db } = await blocked();
    const files = { '002_do.sql': '-- pgshift:no-transaction\n-- UP\nDO $$ BEGIN ALTER TABLE t ADD COLUMN added text; END $$;\n' };
    const events: MigratorEvent[] = [];
    const report = await migratorOn(db, files, 3, (e) => events.push(e)).migrate();
    expect(report.ok).toBe(false);
    expect(events.some((e) => e.type === 'lock-retry')).toBe(false);
    expect(report.error!.problems[0]!.message).toContain('not retried: DO may have committed part of its work before it timed out');
    expect(await columns(db)).toEqual(['id', 'note']);
  });
});
