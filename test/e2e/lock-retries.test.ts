/**
 * Lock retries through the built CLI and the built action: a blocker holds
 * a lock on the table the migration alters, the run retries and then fails,
 * naming the blocker; the table and the tracking table are unchanged.
 */
import { dirname } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushEvent, runAction } from '../support/action.js';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { migrationsDir } from '../support/files.js';

const CREATE_T = '-- UP\nCREATE TABLE t (id int PRIMARY KEY, note text);\n';
const ALTER_T = '-- UP\nALTER TABLE t ADD COLUMN added text;\n';
const SECRET = 'hunter2-secret';

let db: TestDatabase;
let dir: string;
let blocker: pg.Client;
let pid: number;
let github: FakeGitHub;

beforeEach(async () => {
  db = await createDatabase();
  github = await startFakeGitHub();
  dir = await migrationsDir({ '001_t.sql': CREATE_T });
  expect((await runCli(['migrate', '--dir', dir, '--database-url', db.url])).code).toBe(0);
  const more = await migrationsDir({ '001_t.sql': CREATE_T, '002_add.sql': ALTER_T });
  dir = more;
  blocker = new pg.Client({ connectionString: db.url, application_name: 'report-job' });
  blocker.on('error', () => {});
  await blocker.connect();
  pid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await blocker.query('BEGIN');
  await blocker.query(`SELECT count(*) FROM t WHERE note = '${SECRET}'`);
});
afterEach(async () => {
  await blocker.end().catch(() => {});
  await github.close();
  await db.drop();
});

const unchanged = async () => {
  expect(
    (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY 1`)).map((r) => r.column_name),
  ).toEqual(['id', 'note']);
  expect(await db.query('SELECT version::int AS v FROM schema_migrations')).toEqual([{ v: 1 }]);
};

describe('migrate --lock-timeout --lock-retries, in the CLI', () => {
  it('prints each retry, then fails naming the blocking session, nothing changed', async () => {
    const run = await runCli(['migrate', '--dir', dir, '--database-url', db.url, '--lock-timeout', '200ms', '--lock-retries', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /⟳ .*002_add\.sql {2}lock timeout on t behind pid \d+ \("report-job", idle in transaction, transaction open .*\); retry 1 of 1 in /,
    );
    expect(run.stderr).toContain(
      `gave up after 1 retry; it waited for a lock on t behind pid ${pid} (user postgres, application_name "report-job"`,
    );
    expect(run.stderr).toContain('SELECT count(*) FROM t WHERE note = $1');
    expect(run.stderr).toContain('--lock-retries');
    expect(run.stderr + run.stdout).not.toContain(SECRET);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    await unchanged();
  });

  it('--json counts the retries of the failed migration (PGSHIFT_LOCK_RETRIES)', async () => {
    const run = await runCli(['migrate', '--dir', dir, '--database-url', db.url, '--lock-timeout', '200ms', '--json'], {
      PGSHIFT_LOCK_RETRIES: '1',
    });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { failed: { version: number; lock_retries: number }; error: { message: string } };
    expect(json.failed).toMatchObject({ version: 2, lock_retries: 1 });
    expect(json.error.message).toContain(`pid ${pid} (`);
    await unchanged();
  });
});

describe('the action on a push to the default branch', () => {
  const step = (inputs: Record<string, string>) =>
    runAction({
      workspace: dirname(dir),
      event: pushEvent('main'),
      inputs: { connection: db.url, dir: dir.split('/').at(-1)!, 'github-token': 'ghs_token0123456789', command: 'migrate', ...inputs },
      env: { GITHUB_API_URL: github.url },
    });

  it('logs each retry and the job summary counts them; the failure names the blocker', async () => {
    const run = await step({ 'lock-timeout': '200ms', 'lock-retries': '1' });
    expect(run.code).not.toBe(0);
    expect(run.log).toContain('lock timeout 200 ms, 1 lock retries');
    expect(run.log).toMatch(/⟳ .*002_add\.sql {2}lock timeout on t behind pid \d+ \("report-job"/);
    expect(run.summary).toContain('failed after 1 lock retry');
    expect(run.log).toContain(`application_name "report-job"`);
    expect(run.log + run.summary + run.outputFile).not.toContain(SECRET);
    await unchanged();
  });

  it('runs migrate with a 2 s lock timeout and 10 retries when nothing sets them', async () => {
    await blocker.query('COMMIT');
    const run = await step({});
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain('lock timeout 2.00 s, 10 lock retries');
  });
});
