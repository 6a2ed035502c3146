/**
 * Crashes: the pgshift process killed with SIGKILL at chosen and at random
 * points, and its server session ended with pg_terminate_backend. After each,
 * once the server has let go of the dead session, the database must hold
 * either all of a migration and its tracking row or neither, the lock must
 * be free, and the next run must finish the job.
 */
import { describe, expect, it } from 'vitest';
import { processSuite } from '../support/reliability-suite.js';
import { holdAdvisoryLock, tableExists, trackedVersions, type RelDatabase, type Session } from '../support/reliability-db.js';
import { GATE, auditedMigrations, checkAudit, liveTables, range } from '../support/reliability-migrations.js';
import { doneLines, openMigrationsDir, random, runCliFully, sleep, startCli, waitUntil, type CliRun } from '../support/reliability.js';

const suite = processSuite('crash');
const { figures, conn } = suite;

/** How long the "long" migration sleeps while ctl.slow is true: long enough that a kill lands inside it. */
const LONG_SECONDS = 15;

async function database(): Promise<RelDatabase> {
  const db = await suite.database();
  await db.query(`CREATE TABLE ctl (slow boolean NOT NULL); INSERT INTO ctl VALUES (true)`);
  return db;
}

const sleeper = (seconds = LONG_SECONDS) => `SELECT pg_sleep(CASE WHEN (SELECT slow FROM ctl) THEN ${seconds} ELSE 0 END);`;

/** 001 quick, 002 long (in one transaction), 003 quick. */
const transactional = {
  '001_base.sql': `-- UP\nCREATE TABLE base (id int);\nINSERT INTO audit (version, op) VALUES (1, 'up');\n`,
  '002_long.sql': `-- UP\nCREATE TABLE long_marker (id int);\nINSERT INTO audit (version, op) VALUES (2, 'up');\n${sleeper()}\nCREATE TABLE long_after (id int);\n-- DOWN\nDROP TABLE long_after;\nDROP TABLE long_marker;\n`,
  '003_after.sql': `-- UP\nCREATE TABLE after_long (id int);\nINSERT INTO audit (version, op) VALUES (3, 'up');\n`,
};
/**
 * The same with 002 run statement by statement (-- pgshift:no-transaction),
 * written to be safe to run again. Its sleep is shorter: what must hold does
 * not depend on whether the server notices the dead client before it ends.
 */
const statementByStatement = {
  ...transactional,
  '002_long.sql': `-- pgshift:no-transaction\n-- UP\nCREATE TABLE IF NOT EXISTS nt_first (id int);\n${sleeper(6)}\nCREATE TABLE IF NOT EXISTS nt_last (id int);\n`,
};

const sleeping = (s: Session) => s.wait_event === 'PgSleep';
const parked = (s: Session) => s.wait_event_type === 'Lock' && s.wait_event === 'advisory';
/** Polling for pgshift's lock, not holding it: a run holds it on a session of its own, apart from its migrations' session. */
const polling = (s: Session) => s.state === 'idle' && /pg_try_advisory_lock|pg_locks/.test(s.query) && !s.holds_lock;

async function sessionWhere(db: RelDatabase, what: string, match: (s: Session) => boolean): Promise<Session> {
  let found: Session | undefined;
  await waitUntil(async () => {
    found = (await db.sessions('pgshift')).find(match);
    return found !== undefined;
  }, what);
  return found!;
}

/** Waits until the server has ended every pgshift session of the database (the liveness bound is generous on purpose). */
async function serverLetGo(db: RelDatabase): Promise<void> {
  await waitUntil(async () => (await db.sessions('pgshift')).length === 0, 'the server to end the dead run’s session', 90_000, 100);
}

async function finishes(db: RelDatabase, dir: string): Promise<CliRun> {
  await db.query('UPDATE ctl SET slow = false');
  return runCliFully(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } });
}

describe('crashes', () => {
  const KILL = 'SIGKILL in the middle of a long transactional migration leaves nothing of it, and the next run applies it';
  it(KILL, async () => {
    figures.describe(
      KILL,
      'Crashes',
      'SIGKILL to `pgshift migrate` while migration 002 sleeps in SQL (after creating a table and writing an audit row, in its transaction)',
      'once the server lets go of the session: no table, audit row or tracking row of 002, migration 001 kept, the lock free; the next run applies 002 and 003 once',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(transactional);
    const run = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await sessionWhere(db, 'migration 002 sleeping', sleeping);
    run.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    figures.add(KILL, 'SIGKILLs');
    await serverLetGo(db);
    expect(await trackedVersions(db), 'tracking rows after the kill').toEqual([1]);
    expect(await tableExists(db, 'long_marker'), 'a table of the killed migration').toBe(false);
    expect((await checkAudit(db)).live).toEqual([1]);
    expect(await db.advisoryLocks()).toBe(0);
    const next = await finishes(db, dir);
    expect(next.code, next.stdout).toBe(0);
    expect(JSON.parse(next.stdout).applied.map((m: { version: number }) => m.version)).toEqual([2, 3]);
    expect(await checkAudit(db)).toMatchObject({ broken: [], ups: 3, live: [1, 2, 3] });
  });

  const KILL_NT = 'SIGKILL in a no-transaction migration leaves it unrecorded, the lock free, and the next run completes it';
  it(KILL_NT, async () => {
    figures.describe(
      KILL_NT,
      'Crashes',
      'SIGKILL to `pgshift migrate` while statement 2 of a 3-statement `-- pgshift:no-transaction` migration sleeps',
      'statement 1 stays (as documented), statement 3 never ran, no tracking row for it, the lock free; the next run applies it and 003',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(statementByStatement);
    const run = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await sessionWhere(db, 'statement 2 sleeping', sleeping);
    run.kill('SIGKILL');
    await run.done;
    figures.add(KILL_NT, 'SIGKILLs');
    await serverLetGo(db);
    expect(await trackedVersions(db)).toEqual([1]);
    expect(await tableExists(db, 'nt_first')).toBe(true);
    expect(await tableExists(db, 'nt_last')).toBe(false);
    expect(await db.advisoryLocks()).toBe(0);
    const next = await finishes(db, dir);
    expect(next.code, next.stdout).toBe(0);
    expect(await trackedVersions(db)).toEqual([1, 2, 3]);
    expect(await tableExists(db, 'nt_last')).toBe(true);
  });

  const KILL_WAITER = 'SIGKILL to a run waiting for the lock disturbs neither the holder nor the history';
  it(KILL_WAITER, async () => {
    figures.describe(
      KILL_WAITER,
      'Crashes',
      'SIGKILL to a `pgshift migrate` that is polling for the lock another run holds',
      'the holder finishes with exit 0; each migration applied once; the lock free',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(5, { gateFirst: true }));
    const held = await holdAdvisoryLock(db.url, GATE);
    suite.cleanup(held.release);
    const holder = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await sessionWhere(db, 'the holder parked in migration 001', parked);
    const waiter = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await waiter.waitForOutput(/waiting for the migration lock/);
    waiter.kill('SIGKILL');
    await waiter.done;
    figures.add(KILL_WAITER, 'SIGKILLs');
    await held.release();
    const done = await holder.done;
    expect(done.code, done.stderr).toBe(0);
    await serverLetGo(db);
    expect(await checkAudit(db)).toMatchObject({ broken: [], ups: 5, live: range(1, 5) });
    expect(await trackedVersions(db)).toEqual(range(1, 5));
    expect(await db.advisoryLocks()).toBe(0);
  });

  const STORM = 'SIGKILL at random points of a 200-migration run, again and again, never half-applies or applies twice';
  it(STORM, async () => {
    const seed = Number(process.env.RELIABILITY_SEED ?? 20_240_611);
    const rounds = 20;
    figures.describe(
      STORM,
      'Crashes',
      `${rounds} runs of \`pgshift migrate\` over 200 migrations, each SIGKILLed after a random number (0-11) of migrations plus 0-20 ms (seed ${seed}); then one run to the end`,
      'after every kill: the audit log, the tracking rows and the tables agree (all of a migration or nothing), the lock is free; at the end all 200 are applied exactly once',
    );
    figures.fact('crash seed', String(seed));
    const rand = random(seed);
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(200, { extra: 'SELECT pg_sleep(0.003);\n' }));
    for (let round = 0; round < rounds; round++) {
      const run = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
      const after = Math.floor(rand() * 12);
      await run.waitForOutput((out) => doneLines(out).length >= after, `${after} migrations applied`).catch(() => {});
      await sleep(Math.floor(rand() * 20));
      run.kill('SIGKILL');
      const done = await run.done;
      if (done.signal === 'SIGKILL') figures.add(STORM, 'SIGKILLs');
      await serverLetGo(db);
      const audit = await checkAudit(db);
      const context = `round ${round} (seed ${seed}), killed after ${doneLines(done.stdout).length} reported`;
      expect(audit.broken, context).toEqual([]);
      expect(await trackedVersions(db), context).toEqual(audit.live);
      expect(await liveTables(db), context).toEqual(audit.live);
      expect(await db.advisoryLocks(), context).toBe(0);
    }
    const last = await runCliFully(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    expect(last.code, last.stderr).toBe(0);
    const audit = await checkAudit(db);
    expect(audit).toMatchObject({ broken: [], ups: 200, downs: 0, live: range(1, 200) });
    expect(await trackedVersions(db)).toEqual(range(1, 200));
    figures.add(STORM, 'migrations applied', audit.ups);
  });

  for (const mode of ['json', 'human'] as const) {
    const TERMINATE = `pg_terminate_backend in the middle of a transactional migration: exit 1, a clear error, nothing of it left (${mode})`;
    it(TERMINATE, async () => {
      figures.describe(
        TERMINATE,
        'Crashes',
        `pg_terminate_backend() on the session of \`pgshift migrate${mode === 'json' ? ' --json' : ''}\` while migration 002 sleeps in its transaction`,
        'exit 1 with MIGRATION_FAILED, SQLSTATE 57P01 and a hint that the server ended the session; 001 kept, nothing of 002, 003 not run; the lock free; the next run applies 002 and 003',
      );
      const db = await database();
      const { dir } = await openMigrationsDir(transactional);
      const run = startCli(['migrate', '--dir', dir, ...(mode === 'json' ? ['--json'] : [])], { env: { DATABASE_URL: conn(db) } });
      const session = await sessionWhere(db, 'migration 002 sleeping', sleeping);
      await db.query('SELECT pg_terminate_backend($1)', [session.pid]);
      figures.add(TERMINATE, 'backends terminated');
      const done = await run.done;
      expect(done.code, done.stdout + done.stderr).toBe(1);
      if (mode === 'json') {
        const doc = JSON.parse(done.stdout);
        expect(doc).toMatchObject({
          ok: false,
          applied: [{ version: 1 }],
          failed: { version: 2, status: 'error' },
          not_executed: [{ version: 3 }],
        });
        expect(doc.error).toMatchObject({ code: 'MIGRATION_FAILED', sqlstate: '57P01' });
        expect(doc.error.message).toContain('terminating connection due to administrator command');
        expect(doc.error.hint).toContain('the server ended the session');
      } else {
        expect(done.stderr).toMatch(/error: .*002_long\.sql(:\d+)*: terminating connection due to administrator command \(57P01\)/);
        expect(done.stderr).toContain('Nothing of');
        expect(done.stderr).not.toMatch(/\n\s+at /);
      }
      await serverLetGo(db);
      expect(await trackedVersions(db)).toEqual([1]);
      expect(await tableExists(db, 'long_marker')).toBe(false);
      expect(await tableExists(db, 'after_long')).toBe(false);
      expect(await db.advisoryLocks()).toBe(0);
      const next = await finishes(db, dir);
      expect(next.code, next.stdout).toBe(0);
      expect(await checkAudit(db)).toMatchObject({ broken: [], ups: 3, live: [1, 2, 3] });
    });
  }

  const TERMINATE_NT = 'pg_terminate_backend in a no-transaction migration: exit 1, says which statements took effect, not recorded';
  it(TERMINATE_NT, async () => {
    figures.describe(
      TERMINATE_NT,
      'Crashes',
      'pg_terminate_backend() while statement 2 of a 3-statement no-transaction migration sleeps',
      'exit 1 naming statement 2 of 3 and that statement 1 took effect; no tracking row; lock free; the next run completes it',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(statementByStatement);
    const run = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    const session = await sessionWhere(db, 'statement 2 sleeping', sleeping);
    await db.query('SELECT pg_terminate_backend($1)', [session.pid]);
    figures.add(TERMINATE_NT, 'backends terminated');
    const done = await run.done;
    expect(done.code, done.stderr).toBe(1);
    expect(done.stderr).toContain('terminating connection due to administrator command');
    expect(done.stderr).toContain('it was statement 2 of 3; statements 1 to 1 took effect');
    await serverLetGo(db);
    expect(await trackedVersions(db)).toEqual([1]);
    expect(await tableExists(db, 'nt_last')).toBe(false);
    expect(await db.advisoryLocks()).toBe(0);
    const next = await finishes(db, dir);
    expect(next.code, next.stdout).toBe(0);
    expect(await trackedVersions(db)).toEqual([1, 2, 3]);
  });

  const TERMINATE_WAITER = 'pg_terminate_backend on a run waiting for the lock: it fails clearly, the holder is untouched';
  it(TERMINATE_WAITER, async () => {
    figures.describe(
      TERMINATE_WAITER,
      'Crashes',
      'pg_terminate_backend() on the session of a `pgshift migrate` polling for the lock',
      'the waiter exits 1 with an error about taking the migration lock; the holder finishes with exit 0; each migration applied once',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(5, { gateFirst: true }));
    const held = await holdAdvisoryLock(db.url, GATE);
    suite.cleanup(held.release);
    const holder = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await sessionWhere(db, 'the holder parked in migration 001', parked);
    const waiter = startCli(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } });
    const session = await sessionWhere(db, 'the waiter polling for the lock', polling);
    await db.query('SELECT pg_terminate_backend($1)', [session.pid]);
    figures.add(TERMINATE_WAITER, 'backends terminated');
    const done = await waiter.done;
    expect(done.code, done.stdout).toBe(1);
    const doc = JSON.parse(done.stdout);
    expect(doc).toMatchObject({ ok: false, applied: [] });
    expect(doc.error.message).toMatch(
      /taking the migration lock: (terminating connection due to administrator command|the connection to the server was lost)/,
    );
    await held.release();
    expect((await holder.done).code).toBe(0);
    expect(await checkAudit(db)).toMatchObject({ broken: [], ups: 5 });
    expect(await trackedVersions(db)).toEqual(range(1, 5));
  });
});
