/**
 * `pgshift fleet` through the built CLI on 50 real databases: waves, the
 * stop rule, the health check, SIGKILL and --resume, shards and the merged
 * report, wait, rollback, and the problems found before anything runs.
 * Each test keeps its own tracking table and tables, so that they share the
 * databases without sharing a history.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { migrationsDir } from '../support/files.js';
import { createDatabases, type DatabaseSet } from '../support/fleet.js';

const COUNT = 50;
let dbs: DatabaseSet;
beforeAll(async () => {
  dbs = await createDatabases(COUNT);
}, 120_000);
afterAll(async () => {
  await dbs?.drop();
}, 120_000);

const id = (i: number) => `db${String(i).padStart(3, '0')}`;
const variable = (i: number) => `${id(i).toUpperCase()}_URL`;

interface Project {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly table: string;
  readonly ledgers: string;
}

/** A project: migrations creating `<key>_accounts` then adding a column, tracked in `fleet_<key>`, and pgshift.json listing the 50 targets. */
async function project(
  key: string,
  config: Record<string, unknown> = {},
  extra: Record<string, string> = {},
  count = COUNT,
): Promise<Project> {
  const dir = await migrationsDir({
    '001_accounts.sql': `-- UP\nCREATE TABLE ${key}_accounts (id int);\n-- DOWN\nDROP TABLE ${key}_accounts;\n`,
    '002_name.sql': `-- UP\nALTER TABLE ${key}_accounts ADD COLUMN name text;\n-- DOWN\nALTER TABLE ${key}_accounts DROP COLUMN name;\n`,
    ...extra,
  });
  const cwd = join(dir, '..');
  const table = `fleet_${key}`;
  const targets = Array.from({ length: count }, (_, i) => ({
    id: id(i),
    urlEnv: variable(i),
    labels: { tier: i === 0 ? 'canary' : 'main', half: i % 2 === 0 ? 'even' : 'odd' },
  }));
  await writeFile(join(cwd, 'pgshift.json'), JSON.stringify({ table, targets, ...config }));
  const env = Object.fromEntries(dbs.urls.map((url, i) => [variable(i), url]));
  return { cwd, env, table, ledgers: join(cwd, '.pgshift', 'runs') };
}

const fleet = (p: Project, args: string[], env: Record<string, string> = {}) =>
  runCli(['fleet', ...args], { ...p.env, ...env }, { cwd: p.cwd });

/** Versions in each database's tracking table, as "1,2" (or "" / "none" without a table). */
async function histories(p: Project): Promise<string[]> {
  return Promise.all(
    dbs.urls.map((_, i) =>
      dbs
        .query<{ v: string | null }>(i, `SELECT string_agg(version::text, ',' ORDER BY version) AS v FROM ${p.table}`)
        .then((rows) => rows[0]?.v ?? '')
        .catch(() => 'none'),
    ),
  );
}

const ledgerOf = async (path: string) =>
  JSON.parse(await readFile(path, 'utf8')) as { runId: string; targets: { id: string; status: string; wave: string; reason?: string }[] };
const runIdOf = (stderr: string) => /run (\S+), ledger (\S+)/.exec(stderr)!;

describe('pgshift fleet on 50 databases', () => {
  it('stops at a poisoned canary, lists the waves it did not start, and --resume finishes the run once the canary is fixed', async () => {
    const p = await project('stop', {
      waves: [
        { name: 'canary', select: { tier: 'canary' } },
        { name: 'early', percent: 10, concurrency: 2 },
        { name: 'all', concurrency: 8 },
      ],
    });
    await dbs.query(0, 'CREATE TABLE stop_accounts (poisoned int)');
    const first = await fleet(p, ['migrate']);
    expect(first.code).toBe(1);
    const [, runId, ledgerPath] = runIdOf(first.stderr);
    expect(first.stderr).toMatch(/✗ db000: .*001_accounts\.sql:2: relation "stop_accounts" already exists/);
    expect(first.stderr).toContain('stopped: wave "canary" reached its stop rule');
    expect(first.stdout).toContain('0 done, 1 failed, 49 not started of 50 targets');
    const ledger = await ledgerOf(join(p.cwd, ledgerPath!));
    const inWave = (name: string) => ledger.targets.filter((t) => t.wave === name).length;
    expect([inWave('canary'), inWave('early'), inWave('all')]).toEqual([1, 5, 44]);
    expect(ledger.targets.filter((t) => t.status === 'not-started').every((t) => t.reason?.includes('stop rule'))).toBe(true);
    expect((await histories(p)).filter((h) => h === '1,2')).toHaveLength(0);

    await dbs.query(0, 'DROP TABLE stop_accounts');
    const resumed = await fleet(p, ['migrate', '--resume', runId!, '--json']);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ ok: true, run_id: runId, ledger: ledgerPath, counts: { done: 50, failed: 0, not_started: 0 } });
    expect(await histories(p)).toEqual(Array(COUNT).fill('1,2'));
  });

  it('bakes, then stops after a failing health check: the next waves are not started and the report says why', async () => {
    const p = await project('health', {
      waves: [
        { name: 'canary', count: 1, bakeSeconds: 0.2, health: 'SELECT count(*) > 0 FROM health_accounts' },
        { name: 'rest', concurrency: 8 },
      ],
    });
    const run = await fleet(p, ['migrate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'wave canary done; baking 0.2 s before the next\n✗ health after wave canary: on target "db000" the health query returned false',
    );
    expect(run.stdout).toContain('1 done, 0 failed, 49 not started of 50 targets');
    expect(run.stdout).toMatch(/not-started +db049 +the health check after wave "canary" failed/);
    // A command as the health check: its exit code decides.
    const q = await project('healthcmd', {
      waves: [{ name: 'canary', count: 1, health: 'test "$PGSHIFT_FLEET_TARGETS" = db000 && exit 4' }, {}],
    });
    const byCommand = await fleet(q, ['migrate', '--json']);
    expect(byCommand.code).toBe(1);
    expect(JSON.parse(byCommand.stdout).stopped[0]).toContain('the health command exited 4');
  });

  it('reaches the same end state after a SIGKILL mid-run and --resume', async () => {
    const p = await project(
      'kill',
      { waves: [{ name: 'all', concurrency: 4 }] },
      {
        '003_slow.sql': '-- UP\nSELECT pg_sleep(0.15);\n-- DOWN\nSELECT 1;\n',
      },
    );
    const child = spawn(process.execPath, [CLI, 'fleet', 'migrate'], {
      cwd: p.cwd,
      env: { PATH: process.env.PATH ?? '', ...p.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if ((stderr.match(/✓ db/g) ?? []).length >= 8) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const [, runId, ledgerPath] = runIdOf(stderr);
    const killed = await ledgerOf(join(p.cwd, ledgerPath!));
    const done = killed.targets.filter((t) => t.status === 'done').length;
    // The ledger is written as the run goes, a record or two behind the lines printed.
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(COUNT);

    const resumed = await fleet(p, ['migrate', '--resume', runId!]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('50 done, 0 failed, 0 not started of 50 targets; 50 at 3');
    // The done ones were skipped: the resumed run printed a line only for the others.
    expect((resumed.stderr.match(/✓ db/g) ?? []).length).toBe(COUNT - done);
    expect(await histories(p)).toEqual(Array(COUNT).fill('1,2,3'));
  });

  it("--shard i/n covers every target exactly once, and fleet report merges the shards' ledgers", async () => {
    const p = await project('shard', { waves: [{ name: 'all', concurrency: 8 }] });
    const matrix = await fleet(p, ['shard', '--shards', '4']);
    expect(JSON.parse(matrix.stdout)).toEqual({ shard: ['1/4', '2/4', '3/4', '4/4'] });
    const seen: string[] = [];
    const ledgers: string[] = [];
    for (const shard of ['1/4', '2/4', '3/4', '4/4']) {
      const run = await fleet(p, ['migrate', '--shard', shard, '--json']);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      seen.push(...report.targets.map((t: { id: string }) => t.id));
      ledgers.push(join(p.cwd, report.ledger));
    }
    expect(seen.sort()).toEqual(Array.from({ length: COUNT }, (_, i) => id(i)));
    expect(await readdir(p.ledgers)).toHaveLength(4);

    const merged = await fleet(p, ['report', ...ledgers, '--json']);
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ ok: true, counts: { done: 50, total: 50 }, versions: { '2': 50 } });
    const summaryFile = join(p.cwd, 'summary.md');
    const markdown = await fleet(p, ['report', ...ledgers], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(markdown.stdout).toContain('fleet: 50 done, 0 failed, 0 not started of 50 targets; 50 at 2');
    expect(await readFile(summaryFile, 'utf8')).toContain('### pgshift fleet: every target done');
  });

  it('wait --at-least exits 3 at the timeout while some targets lack the version, 0 once all have it; a label selects', async () => {
    const p = await project('wait', { waves: [{ name: 'all', concurrency: 8 }] });
    expect((await fleet(p, ['migrate', '--shard', '1/2'])).code).toBe(0);
    const half = await fleet(p, ['wait', '--at-least', '2', '--timeout', '1s', '--interval', '300ms']);
    expect(half.code).toBe(3);
    const behind = Number(/(\d+) of 50 targets have not reached version 2/.exec(half.stderr)?.[1]);
    expect(behind).toBeGreaterThan(0);
    expect(behind).toBeLessThan(COUNT);
    expect((await fleet(p, ['migrate'])).code).toBe(0);
    expect((await fleet(p, ['wait', '--at-least', '2', '--timeout', '5s'])).code).toBe(0);
    expect((await fleet(p, ['wait', '--at-least', '2', '--select', 'tier=canary', '--json'])).stdout).toContain('"targets": 1');
    // A target that cannot be read is named with why, its password never.
    const gone = { [variable(COUNT - 1)]: 'postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere' };
    const unreachable = await fleet(p, ['wait', '--at-least', '2', '--timeout', '1s', '--interval', '300ms'], gone);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('1 of 50 targets have not reached version 2');
    expect(unreachable.stderr).toMatch(new RegExp(`${id(COUNT - 1)}: unreadable: .*connection refused`));
    const json = await fleet(p, ['wait', '--at-least', '2', '--timeout', '1s', '--interval', '300ms', '--json'], gone);
    expect(JSON.parse(json.stdout).behind).toEqual([
      {
        id: id(COUNT - 1),
        current_version: null,
        unreadable: true,
        error: { code: 'CONNECTION_FAILED', message: expect.stringContaining('refused') },
      },
    ]);
    expect(unreachable.stderr + unreachable.stdout + json.stdout + json.stderr).not.toContain('s3cret-pw');
  });

  it('status --check and plan; on 12 of the databases, rollback refused while the targets disagree, then done down to the version given, then one step when they agree', async () => {
    const p = await project('roll', { waves: [{ name: 'all', concurrency: 8 }] }, {}, 12);
    const rolls = async () => (await histories(p)).slice(0, 12);
    expect((await fleet(p, ['migrate', '--target', '1'])).code).toBe(0);
    const status = await fleet(p, ['status', '--check']);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('fleet: 12 targets: 12 at 1');
    const plan = await fleet(p, ['plan']);
    expect(plan.stdout).toContain('would apply 2 on 12 targets');
    expect((await fleet(p, ['migrate', '--shard', '1/3'])).code).toBe(0);
    const refused = await fleet(p, ['rollback']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the targets disagree on what is applied \((\d+ at 1, \d+ at 2|\d+ at 2, \d+ at 1)\): not rolling back/);
    expect(refused.stderr).toContain('fleet rollback --target <version>');
    const rolled = await fleet(p, ['rollback', '--target', '1']);
    expect(rolled.code).toBe(0);
    expect(await rolls()).toEqual(Array(12).fill('1'));
    // Now they agree: one step back, the version it went to kept in the ledger for a --resume.
    const again = await fleet(p, ['rollback', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse((await readFile(join(p.cwd, JSON.parse(again.stdout).ledger), 'utf8')).toString()).version).toBe(0);
    expect(await rolls()).toEqual(Array(12).fill(''));
  });

  it('reads the targets from --targets-sql on the control database: a schema there, or a database by its variable', async () => {
    const p = await project('sql');
    await dbs.query(
      0,
      `CREATE TABLE sql_control AS SELECT * FROM (VALUES ('t1', NULL, 'sql_tenant_1', '{"tier":"a"}'::json), ('t2', '${variable(1)}', NULL, NULL)) AS v(id, url_env, schema, labels)`,
    );
    const query = 'SELECT id, url_env, schema, labels FROM sql_control';
    const run = await fleet(p, ['migrate', '--targets-sql', query, '--json'], { DATABASE_URL: dbs.urls[0]! });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).targets.map((t: { id: string; to: number }) => [t.id, t.to])).toEqual([
      ['t1', 2],
      ['t2', 2],
    ]);
    expect(await dbs.query(0, 'SELECT name FROM sql_tenant_1.sql_accounts')).toEqual([]);
    expect((await histories(p)).slice(0, 3)).toEqual(['none', '1,2', 'none']);
    const bad = await fleet(p, ['status', '--targets-sql', 'SELECT 1 AS nope'], { DATABASE_URL: dbs.urls[0]! });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--targets-sql: the query returns no "id" column (it returns nope)');
  });

  it('reports every problem with the targets before anything runs, without a password', async () => {
    const p = await project('bad');
    const password = new URL(dbs.urls[1]!).password;
    const list = [
      { id: 'a', urlEnv: variable(1) },
      { id: 'a', urlEnv: variable(2) },
      { id: 'unset', urlEnv: 'NOT_SET_URL' },
      { id: 'down', urlEnv: 'DOWN_URL' },
      { id: 'inline', url: dbs.urls[3] },
    ];
    await writeFile(join(p.cwd, 'targets.json'), JSON.stringify({ targets: list }));
    const run = await fleet(p, ['migrate', '--targets', 'targets.json'], { DOWN_URL: 'postgres://nobody:sekret@127.0.0.1:1/nowhere' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('targets.json: target "a" is listed twice (targets 1 and 2)');
    expect(run.stderr).toContain(
      'targets.json: target "inline" holds "url": a connection or password is never written in the targets list',
    );
    expect(run.stderr).toContain('target "unset": NOT_SET_URL is not set');
    expect(run.stderr).toMatch(/target "down" \(DOWN_URL\): cannot connect to 127\.0\.0\.1:1\/nowhere/);
    expect(run.stderr).toContain('nothing was run');
    for (const secret of ['sekret', ...(password ? [password] : [])]) expect(run.stderr + run.stdout).not.toContain(secret);
    expect(await histories(p)).toEqual(Array(COUNT).fill('none'));

    // A ledger that cannot be written stops the run before it starts.
    await writeFile(
      join(p.cwd, 'two.json'),
      JSON.stringify([
        { id: 'a', urlEnv: variable(1) },
        { id: 'b', urlEnv: variable(2) },
      ]),
    );
    const unwritable = await fleet(p, ['migrate', '--targets', 'two.json', '--ledger-dir', 'pgshift.json']);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot write the ledger pgshift\.json\/\S+\.json: .*\n.*hint: give a writable ledger directory/);
    expect(await histories(p)).toEqual(Array(COUNT).fill('none'));
  });
});
