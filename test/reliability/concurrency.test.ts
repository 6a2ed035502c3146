/**
 * Concurrency: many real `pgshift` processes against one real database.
 * Every migration writes an audit row in its own transaction, so "applied
 * exactly once" is read from the database, not from what the processes say.
 */
import { describe, expect, it } from 'vitest';
import { processSuite } from '../support/reliability-suite.js';
import { holdAdvisoryLock, tableExists, trackedVersions, type RelDatabase, type Session } from '../support/reliability-db.js';
import { GATE, auditedMigrations, checkAudit, liveTables, range } from '../support/reliability-migrations.js';
import { doneLines, openMigrationsDir, runCliFully, startCli, waitUntil, type CliProcess, type CliRun } from '../support/reliability.js';

const suite = processSuite('concurrency');
const { figures, conn } = suite;

const database = () => suite.database();

async function gate(db: RelDatabase) {
  const held = await holdAdvisoryLock(db.url, GATE);
  suite.cleanup(held.release);
  return held;
}

interface JsonRun {
  ok: boolean;
  applied?: { version: number }[];
  rolled_back?: { version: number }[];
  waited_for_lock: boolean;
  error?: { code: string; message: string };
}
const json = (run: CliRun): JsonRun => {
  try {
    return JSON.parse(run.stdout) as JsonRun;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
};
/** Versions a human-mode run reports as applied: its ✓ lines name NNN_t.sql files. */
const humanApplied = (run: CliRun) => doneLines(run.stdout).map((l) => Number(/(\d+)_[a-z]+\.sql/.exec(l)?.[1]));
/** Half the processes print JSON, half the human text. */
const isJson = (index: number) => index % 2 === 1;
const describeRuns = (runs: readonly CliRun[]) =>
  runs.map((r, i) => `#${i} exit ${r.code} ${r.signal ?? ''}\n${r.stderr.trim()}`).join('\n');

/** Sessions parked on an advisory lock (the gate), and sessions polling for pgshift's lock. */
const onGate = (s: Session) => s.wait_event_type === 'Lock' && s.wait_event === 'advisory';
const polling = (s: Session) => s.state === 'idle' && /pg_try_advisory_lock|pg_locks/.test(s.query) && !s.holds_lock;
/** The session holding pgshift's lock: a run takes it on a session of its own, apart from the one its migrations run on. */
const holding = (s: Session) => s.holds_lock && /pg_try_advisory_lock/.test(s.query);

describe('concurrency', () => {
  const T16 = '16 migrate processes started at once apply 200 pending migrations exactly once';
  it(T16, async () => {
    figures.describe(
      T16,
      'Concurrency',
      '16 `pgshift migrate` processes (8 `--json`, 8 human) started at once on one database with 200 pending migrations',
      'every migration applied exactly once (audit table), 200 tracking rows, no process failed',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(200));
    const procs = range(0, 15).map((i) =>
      isJson(i)
        ? startCli(['migrate', '--dir', dir, '--json'], { env: { DATABASE_URL: conn(db) } })
        : startCli(['migrate', '--dir', dir, '--database-url', conn(db)]),
    );
    const runs = await Promise.all(procs.map((p) => p.done));
    figures.add(T16, 'processes', runs.length);
    expect(
      runs.map((r) => r.code),
      describeRuns(runs),
    ).toEqual(runs.map(() => 0));

    const reported = runs.flatMap((r, i) => (isJson(i) ? (json(r).applied ?? []).map((a) => a.version) : humanApplied(r)));
    expect(reported.sort((a, b) => a - b)).toEqual(range(1, 200));
    const audit = await checkAudit(db);
    expect(audit).toMatchObject({ broken: [], ups: 200, downs: 0, live: range(1, 200) });
    expect(await trackedVersions(db)).toEqual(range(1, 200));
    expect(await liveTables(db)).toEqual(range(1, 200));
    expect(await db.advisoryLocks()).toBe(0);
    figures.add(T16, 'migrations applied', audit.ups);

    // Whoever waited said so, naming the holder; whoever applied nothing either waited or found nothing pending.
    for (const [i, run] of runs.entries()) {
      const human = !isJson(i);
      const waited = human ? /waiting for the migration lock/.test(run.stderr) : json(run).waited_for_lock;
      if (human && waited) expect(run.stderr).toMatch(/waiting for the migration lock, held by application_name "pgshift", pid \d+/);
      const applied = human ? humanApplied(run).length : (json(run).applied ?? []).length;
      if (applied === 0 && human) expect(waited || /Nothing to apply/.test(run.stdout), run.stdout + run.stderr).toBe(true);
      if (waited) figures.add(T16, 'processes that waited');
    }
  });

  const GATED = '16 processes parked behind one holder all wait, say so, name the holder, and apply 200 migrations once';
  it(GATED, async () => {
    figures.describe(
      GATED,
      'Concurrency',
      '16 `pgshift migrate` processes started at once; the one that takes the lock is parked inside migration 001 until the other 15 are seen polling for the lock',
      'the 15 waiters report waited_for_lock / "waiting for the migration lock, held by application_name "pgshift", pid <holder>", exactly one process applies all 200, none fails',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(200, { gateFirst: true }));
    const held = await gate(db);
    const procs = range(0, 15).map((i) =>
      startCli(['migrate', '--dir', dir, ...(isJson(i) ? ['--json'] : [])], { env: { DATABASE_URL: conn(db) } }),
    );
    let holderPid = 0;
    await waitUntil(async () => {
      const sessions = await db.sessions('pgshift');
      const parked = sessions.filter(onGate);
      holderPid = sessions.find(holding)?.pid ?? 0;
      return parked.length === 1 && holderPid > 0 && sessions.filter(polling).length === 15;
    }, 'one run parked in migration 001 and 15 polling for the lock');
    await held.release();
    const runs = await Promise.all(procs.map((p) => p.done));
    figures.add(GATED, 'processes', runs.length);
    expect(
      runs.map((r) => r.code),
      describeRuns(runs),
    ).toEqual(runs.map(() => 0));

    const applied = runs.map((r, i) => (isJson(i) ? (json(r).applied ?? []).map((a) => a.version) : humanApplied(r)));
    const winners = applied.filter((a) => a.length > 0);
    expect(winners).toEqual([range(1, 200)]);
    for (const [i, run] of runs.entries()) {
      if (applied[i]!.length > 0) continue;
      if (isJson(i)) expect(json(run).waited_for_lock, run.stdout).toBe(true);
      else expect(run.stderr).toContain(`waiting for the migration lock, held by application_name "pgshift", pid ${holderPid}`);
      figures.add(GATED, 'processes that waited');
    }
    const audit = await checkAudit(db);
    expect(audit).toMatchObject({ broken: [], ups: 200, live: range(1, 200) });
    expect(await trackedVersions(db)).toEqual(range(1, 200));
    figures.add(GATED, 'migrations applied', audit.ups);
  });

  const RACE = '8 rollback and 8 migrate processes racing leave a history that matches the schema';
  it(RACE, async () => {
    figures.describe(
      RACE,
      'Concurrency',
      '8 `pgshift rollback --steps 3` and 8 `pgshift migrate` processes started at once on a database with 100 of 200 migrations applied',
      'per migration, UPs and DOWNs alternate (never applied twice, never undone twice); the tracking rows are exactly the migrations whose last audited step is UP and whose table exists; every process exits 0; the reports add up to the audit log',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(200));
    const first = await runCliFully(['migrate', '--dir', dir, '--target', '100'], { env: { DATABASE_URL: conn(db) } });
    expect(first.code, first.stderr).toBe(0);
    const procs: CliProcess[] = range(1, 16).map((i) =>
      startCli([i % 2 === 0 ? 'rollback' : 'migrate', '--dir', dir, '--json', ...(i % 2 === 0 ? ['--steps', '3'] : [])], {
        env: { DATABASE_URL: conn(db) },
      }),
    );
    const runs = await Promise.all(procs.map((p) => p.done));
    figures.add(RACE, 'processes', runs.length);
    expect(
      runs.map((r) => r.code),
      describeRuns(runs),
    ).toEqual(runs.map(() => 0));
    const docs = runs.map(json);
    const applied = docs.reduce((n, d) => n + (d.applied?.length ?? 0), 0);
    const rolledBack = docs.reduce((n, d) => n + (d.rolled_back?.length ?? 0), 0);

    const audit = await checkAudit(db);
    expect(audit.broken).toEqual([]);
    expect(audit.ups).toBe(100 + applied);
    expect(audit.downs).toBe(rolledBack);
    const tracked = await trackedVersions(db);
    expect(tracked).toEqual(audit.live);
    expect(await liveTables(db)).toEqual(tracked);
    expect(await db.advisoryLocks()).toBe(0);
    figures.add(RACE, 'migrations applied', applied);
    figures.add(RACE, 'migrations rolled back', rolledBack);
  });

  const PROJECTS = 'two projects with different tracking tables in one database do not block each other';
  it(PROJECTS, async () => {
    figures.describe(
      PROJECTS,
      'Concurrency',
      'project A (--table a_migrations) parked inside its first migration while project B (--table b_migrations) migrates the same database',
      'B runs to the end without waiting for the lock while A still holds its own; then A finishes; both exit 0',
    );
    const db = await database();
    const a = await openMigrationsDir({
      '001_a.sql': `-- UP\nSELECT pg_advisory_xact_lock_shared(${GATE});\nCREATE TABLE a_one (id int);\n`,
    });
    const b = await openMigrationsDir({
      '001_b.sql': 'CREATE TABLE b_one (id int);',
      '002_b.sql': 'CREATE TABLE b_two (id int);',
      '003_b.sql': 'CREATE TABLE b_three (id int);',
    });
    const held = await gate(db);
    const runA = startCli(['migrate', '--dir', a.dir, '--table', 'a_migrations', '--json'], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(async () => (await db.sessions('pgshift')).some(onGate), 'project A parked in its migration');
    const runB = await runCliFully(['migrate', '--dir', b.dir, '--table', 'b_migrations', '--json', '--lock-wait', '10s'], {
      env: { DATABASE_URL: conn(db) },
    });
    expect(runB.code, runB.stdout + runB.stderr).toBe(0);
    expect(json(runB)).toMatchObject({ ok: true, waited_for_lock: false });
    expect(json(runB).applied?.map((m) => m.version)).toEqual([1, 2, 3]);
    expect((await db.sessions('pgshift')).filter(onGate)).toHaveLength(1);
    await held.release();
    const doneA = await runA.done;
    expect(doneA.code, doneA.stdout + doneA.stderr).toBe(0);
    expect(await trackedVersions(db, 'a_migrations')).toEqual([1]);
    expect(await trackedVersions(db, 'b_migrations')).toEqual([1, 2, 3]);
    figures.add(PROJECTS, 'processes', 2);
    figures.add(PROJECTS, 'migrations applied', 4);
  });

  const ALIAS = 'one tracking table named two ways (schema_migrations, public.schema_migrations) is one lock';
  it(ALIAS, async () => {
    figures.describe(
      ALIAS,
      'Concurrency',
      'run A with --table schema_migrations parked inside a no-transaction migration; run B with --table public.schema_migrations (the same table) started meanwhile',
      'B waits for A and then finds nothing to do: the migration runs once and both exit 0',
    );
    const db = await database();
    const { dir } = await openMigrationsDir({
      '001_once.sql': `-- pgshift:no-transaction\n-- UP\nINSERT INTO audit (version, op) VALUES (1, 'up');\nSELECT pg_advisory_lock_shared(${GATE});\nSELECT pg_advisory_unlock_shared(${GATE});\n`,
    });
    const held = await gate(db);
    const runA = startCli(['migrate', '--dir', dir, '--table', 'schema_migrations', '--json'], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(async () => (await db.sessions('pgshift')).filter(onGate).length === 1, 'run A parked in its migration');
    const runB = startCli(['migrate', '--dir', dir, '--table', 'public.schema_migrations', '--json'], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(async () => {
      const sessions = await db.sessions('pgshift');
      return sessions.some(polling) || sessions.filter(onGate).length === 2;
    }, 'run B waiting for the lock (or, wrongly, running the migration)');
    await held.release();
    const [doneA, doneB] = await Promise.all([runA.done, runB.done]);
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit WHERE version = 1`);
    figures.add(ALIAS, 'processes', 2);
    expect(row?.n, `migration 001 ran ${row?.n} times; run A said: ${doneA.stdout}; run B said: ${doneB.stdout}`).toBe(1);
    expect([doneA.code, doneB.code], doneA.stdout + doneB.stdout).toEqual([0, 0]);
    expect(json(doneB).waited_for_lock).toBe(true);
    expect(await trackedVersions(db)).toEqual([1]);
    figures.add(ALIAS, 'migrations applied', 1);
  });

  const CIC = 'a run waiting for the lock does not stall CREATE INDEX CONCURRENTLY in the holder';
  it(CIC, async () => {
    figures.describe(
      CIC,
      'Deadlock-free waiting',
      'run A executes a no-transaction migration with CREATE INDEX CONCURRENTLY on a 200,000-row table while run B polls for the lock',
      'both finish with exit 0; the index is valid; B reports that it waited',
    );
    const db = await database();
    const { dir } = await openMigrationsDir({
      '001_big.sql': `-- UP\nCREATE TABLE big (id int, v text);\nINSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 200000) g;\n-- DOWN\nDROP TABLE big;\n`,
      '002_index.sql': `-- pgshift:no-transaction\n-- UP\nSELECT pg_advisory_lock_shared(${GATE});\nSELECT pg_advisory_unlock_shared(${GATE});\nCREATE INDEX CONCURRENTLY big_v ON big (v);\n-- DOWN\nDROP INDEX CONCURRENTLY big_v;\n`,
      '003_after.sql': 'CREATE TABLE after_index (id int);',
    });
    const setup = await runCliFully(['migrate', '--dir', dir, '--target', '1'], { env: { DATABASE_URL: conn(db) } });
    expect(setup.code, setup.stderr).toBe(0);
    const held = await gate(db);
    const runA = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await waitUntil(async () => (await db.sessions('pgshift')).some(onGate), 'run A parked before CREATE INDEX CONCURRENTLY');
    const runB = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: conn(db) } });
    await runB.waitForOutput(/waiting for the migration lock/, 'run B waiting for the lock');
    await held.release();
    const [doneA, doneB] = await Promise.all([runA.done, runB.done]);
    expect([doneA.code, doneA.hung, doneB.code, doneB.hung], doneA.stderr + doneB.stderr).toEqual([0, false, 0, false]);
    expect(doneA.stdout).toMatch(/002_index\.sql {2}applied/);
    expect(doneB.stdout).toContain('Nothing to apply');
    const [index] = await db.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'big_v'::regclass`);
    expect(index?.valid).toBe(true);
    expect(await tableExists(db, 'after_index')).toBe(true);
    expect(await trackedVersions(db)).toEqual([1, 2, 3]);
    figures.add(CIC, 'processes', 2);
    figures.add(CIC, 'migrations applied', 3);
  });

  const WAIT = 'a run that cannot get the lock within --lock-wait names the holder and changes nothing';
  it(WAIT, async () => {
    figures.describe(
      WAIT,
      'Lock wait',
      'run A (application_name deploy-a) parked inside migration 001; migrate --lock-wait 1s, migrate --lock-wait 0 --json and rollback --lock-wait 500ms started meanwhile',
      'each fails with exit 1 and LOCK_WAIT_TIMEOUT naming application_name "deploy-a" and its pid; the database dump is unchanged; A then finishes',
    );
    const db = await database();
    const { dir } = await openMigrationsDir(auditedMigrations(3, { gateFirst: true }));
    const urlA = `${conn(db)}?application_name=deploy-a`;
    const held = await gate(db);
    const runA = startCli(['migrate', '--dir', dir, '--database-url', urlA]);
    let pid = 0;
    await waitUntil(async () => {
      const sessions = await db.sessions('deploy-a');
      pid = sessions.find(holding)?.pid ?? 0;
      return pid > 0 && sessions.some(onGate);
    }, 'run A parked in migration 001');
    const before = await db.dump();
    const holder = `application_name "deploy-a", pid ${pid}`;
    const human = await runCliFully(['migrate', '--dir', dir, '--lock-wait', '1s'], { env: { DATABASE_URL: conn(db) } });
    expect(human.code, human.stderr).toBe(1);
    expect(human.stderr).toContain(`another migration run holds the lock (${holder}`);
    expect(human.stderr).toContain(`waiting for the migration lock, held by ${holder}`);
    const zero = await runCliFully(['migrate', '--dir', dir, '--lock-wait', '0', '--json'], { env: { DATABASE_URL: conn(db) } });
    expect(zero.code, zero.stdout).toBe(1);
    expect(json(zero).error).toMatchObject({ code: 'LOCK_WAIT_TIMEOUT' });
    expect(json(zero).error?.message).toContain(holder);
    const back = await runCliFully(['rollback', '--dir', dir, '--lock-wait', '500ms'], { env: { DATABASE_URL: conn(db) } });
    // Nothing is applied yet, so rollback has nothing to wait for: it must say so and change nothing.
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('Nothing to roll back');
    expect(await db.dump()).toBe(before);
    await held.release();
    const doneA = await runA.done;
    expect(doneA.code, doneA.stderr).toBe(0);
    expect(await trackedVersions(db)).toEqual([1, 2, 3]);
    figures.add(WAIT, 'processes', 4);
    figures.add(WAIT, 'lock waits timed out', 2);
  });

  const WAIT_ROLLBACK = 'a rollback that cannot get the lock within --lock-wait names the holder and undoes nothing';
  it(WAIT_ROLLBACK, async () => {
    figures.describe(
      WAIT_ROLLBACK,
      'Lock wait',
      'migrations 1-2 applied; run A (application_name deploy-b) parked inside migration 003; rollback --steps 2 --lock-wait 1s started meanwhile',
      'rollback exits 1 with LOCK_WAIT_TIMEOUT naming "deploy-b" and its pid; nothing is rolled back; the dump is unchanged',
    );
    const db = await database();
    const files = auditedMigrations(3);
    files['003_t.sql'] = `-- UP\nSELECT pg_advisory_xact_lock_shared(${GATE});\nCREATE TABLE t_003 (id int);\n-- DOWN\nDROP TABLE t_003;\n`;
    const { dir } = await openMigrationsDir(files);
    const setup = await runCliFully(['migrate', '--dir', dir, '--target', '2'], { env: { DATABASE_URL: conn(db) } });
    expect(setup.code, setup.stderr).toBe(0);
    const held = await gate(db);
    const runA = startCli(['migrate', '--dir', dir, '--database-url', `${conn(db)}?application_name=deploy-b`]);
    let pid = 0;
    await waitUntil(async () => {
      const sessions = await db.sessions('deploy-b');
      pid = sessions.find(holding)?.pid ?? 0;
      return pid > 0 && sessions.some(onGate);
    }, 'run A parked in migration 003');
    const before = await db.dump();
    const back = await runCliFully(['rollback', '--dir', dir, '--steps', '2', '--lock-wait', '1s', '--json'], {
      env: { DATABASE_URL: conn(db) },
    });
    expect(back.code, back.stdout).toBe(1);
    expect(json(back)).toMatchObject({ ok: false, rolled_back: [], error: { code: 'LOCK_WAIT_TIMEOUT' } });
    expect(json(back).error?.message).toContain(`application_name "deploy-b", pid ${pid}`);
    expect(await db.dump()).toBe(before);
    await held.release();
    expect((await runA.done).code).toBe(0);
    expect(await trackedVersions(db)).toEqual([1, 2, 3]);
    figures.add(WAIT_ROLLBACK, 'processes', 2);
    figures.add(WAIT_ROLLBACK, 'lock waits timed out', 1);
  });
});
