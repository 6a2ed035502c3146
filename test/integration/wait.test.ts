/**
 * Migrator.wait on a real PostgreSQL: a session lost while waiting is made
 * again, the signal stops it, its options and a tracking table it cannot
 * read are refused, and it never writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memorySource, Migrator, PgshiftError, type MigratorEvent } from '../../src/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';

let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});

async function setup() {
  const db = await createDatabase();
  databases.push(db);
  return db;
}

/** A migrator whose events go to `events`, and a promise for the first event of a type. */
function watched(db: TestDatabase) {
  const events: MigratorEvent[] = [];
  const waiters: { type: MigratorEvent['type']; resolve: () => void }[] = [];
  const migrator = new Migrator({
    connection: db.url,
    source: memorySource({ '001_users.sql': USERS }),
    onEvent: (event) => {
      events.push(event);
      for (const w of waiters.filter((w) => w.type === event.type)) w.resolve();
    },
  });
  const first = (type: MigratorEvent['type']) =>
    new Promise<void>((resolve) => (events.some((e) => e.type === type) ? resolve() : waiters.push({ type, resolve })));
  return { migrator, events, first };
}

describe('Migrator.wait', () => {
  it('makes its session again when the server ends it, and still sees the version applied', async () => {
    const db = await setup();
    const { migrator, events, first } = watched(db);
    const waiting = migrator.wait({ atLeast: 1, intervalMs: 50, timeoutMs: 45_000 });
    await first('wait-progress');
    const ended = await db.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'pgshift' AND pid <> pg_backend_pid()`,
    );
    expect(ended[0]!.n).toBe(1);
    await first('wait-unreachable');
    expect((await migrator.migrate()).ok).toBe(true);
    const report = await waiting;
    expect(report).toMatchObject({ reached: true, outcome: 'reached', currentVersion: 1, tableExists: true });
    const lost = events.find((e) => e.type === 'wait-unreachable');
    expect(lost).toMatchObject({ reason: expect.stringContaining('schema_migrations') });
  });

  it('stops when its signal aborts, and says so', async () => {
    const db = await setup();
    const { migrator, first } = watched(db);
    const controller = new AbortController();
    const waiting = migrator.wait({ atLeast: 1, intervalMs: 60_000, signal: controller.signal });
    await first('wait-progress');
    controller.abort();
    expect(await waiting).toMatchObject({ reached: false, outcome: 'aborted', tableExists: false, currentVersion: null, polls: 1 });
    // Its session is closed: none of pgshift's is left on the database (a backend may take a moment to go once told).
    const sessions = () => db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgshift'`);
    for (let i = 0; i < 100 && (await sessions()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await sessions()).toEqual([]);
  });

  it('refuses bad options all at once, before connecting', async () => {
    const migrator = new Migrator({ connection: 'postgres://postgres@127.0.0.1:1/none' });
    const error = await migrator.wait({ atLeast: -1, intervalMs: 0, timeoutMs: 1.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgshiftError);
    expect((error as PgshiftError).problems.map((p) => [p.code, p.message.split(' ')[0]])).toEqual([
      ['INVALID_OPTION', 'atLeast'],
      ['INVALID_OPTION', 'timeoutMs'],
      ['INVALID_OPTION', 'intervalMs'],
    ]);
  });

  it('fails on a tracking table without a version column, and writes nothing while it looks', async () => {
    const db = await setup();
    await db.query('CREATE TABLE schema_migrations (name text)');
    const { migrator } = watched(db);
    const error = await migrator.wait({ atLeast: 1, timeoutMs: 0 }).catch((e: unknown) => e);
    expect((error as PgshiftError).code).toBe('TRACKING_TABLE_INVALID');
    await db.query('DROP TABLE schema_migrations');
    expect(await migrator.wait({ atLeast: 1, timeoutMs: 0 })).toMatchObject({ outcome: 'timeout', tableExists: false });
    expect(await db.query(`SELECT to_regclass('schema_migrations') AS t`)).toEqual([{ t: null }]);
  });
});
