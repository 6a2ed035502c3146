/**
 * The settings in one place, through the built CLI: a project's
 * pgshift.json names the migrations directory and the timeouts, so no
 * command needs --dir; PGSHIFT_<SETTING> overrides the file and a flag
 * overrides both; a bad value or a URL in the file stops the run (exit 2)
 * before anything connects, naming where it came from.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { addFiles } from '../support/files.js';

const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
// Records the lock_timeout the migration ran with.
const SEEN = "-- UP\nCREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout;\n-- DOWN\nDROP TABLE seen;\n";
const OTHER = '-- UP\nCREATE TABLE other (id int);\n-- DOWN\nDROP TABLE other;\n';
const FLAGGED = '-- UP\nCREATE TABLE flagged (id int);\n-- DOWN\nDROP TABLE flagged;\n';

let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});
const database = async () => {
  const db = await createDatabase();
  databases.push(db);
  return db;
};

/** A project folder: pgshift.json, db/migrations/001_seen.sql, elsewhere/001_other.sql and flagged/001_flagged.sql. */
async function project(config: object = { dir: 'db/migrations', lockTimeout: '3s' }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pgshift-settings-'));
  await addFiles(root, {
    'pgshift.json': JSON.stringify(config),
    'db/migrations/001_seen.sql': SEEN,
    'elsewhere/001_other.sql': OTHER,
    'flagged/001_flagged.sql': FLAGGED,
  });
  return root;
}

describe('pgshift.json, PGSHIFT_* and the flags', () => {
  it('runs status and migrate on the directory pgshift.json names, with its lock timeout, without --dir', async () => {
    const [cwd, db] = await Promise.all([project(), database()]);
    const env = { DATABASE_URL: db.url };
    const status = await runCli(['status', '--json'], env, { cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).pending).toEqual([expect.objectContaining({ version: 1, name: 'seen' })]);
    const migrate = await runCli(['migrate'], env, { cwd });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('001_seen.sql');
    expect(await db.query('SELECT lock_timeout FROM seen')).toEqual([{ lock_timeout: '3s' }]);
    const after = await runCli(['status'], env, { cwd });
    expect(after.stdout).toContain('Pending: 0');
  });

  it('lets PGSHIFT_DIR override the file, and --dir override both', async () => {
    const [cwd, db] = await Promise.all([project(), database()]);
    const fromEnv = await runCli(['status', '--json'], { DATABASE_URL: db.url, PGSHIFT_DIR: 'elsewhere' }, { cwd });
    expect(JSON.parse(fromEnv.stdout).pending.map((p: { name: string }) => p.name)).toEqual(['other']);
    const fromFlag = await runCli(['migrate', '--dir', 'flagged'], { DATABASE_URL: db.url, PGSHIFT_DIR: 'elsewhere' }, { cwd });
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(await db.query("SELECT to_regclass('flagged')::text AS t, to_regclass('other')::text AS o")).toEqual([
      { t: 'flagged', o: null },
    ]);
  });

  it('creates the next migration in the directory pgshift.json names', async () => {
    const cwd = await project();
    const run = await runCli(['create', 'add orders'], {}, { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(join('db', 'migrations', '002_add_orders.sql'));
    expect((await readdir(join(cwd, 'db', 'migrations'))).sort()).toEqual(['001_seen.sql', '002_add_orders.sql']);
  });

  it('reads the file --config names instead of pgshift.json', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'ci.json'), JSON.stringify({ dir: 'elsewhere' }));
    const run = await runCli(['validate', '--config', 'ci.json', '--json'], {}, { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, files: 1 });
  });

  it('stops with exit 2 on a bad PGSHIFT_LOCK_TIMEOUT, naming the variable, before connecting', async () => {
    const cwd = await project();
    // Nothing listens on port 1: a run that got as far as connecting would fail otherwise.
    const run = await runCli(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PGSHIFT_LOCK_TIMEOUT: 'soon' }, { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'PGSHIFT_LOCK_TIMEOUT must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "soon"',
    );
    expect(run.stderr).toContain('correct PGSHIFT_LOCK_TIMEOUT, or unset it');
    expect(run.stderr).not.toMatch(/connect|ECONNREFUSED/);
  });

  it('reports every bad value at once, each named where it came from, in --json too', async () => {
    const cwd = await project({ dir: 'db/migrations', lockTimeout: 'forever', strictOrder: 'yes' });
    const run = await runCli(['status', '--json', '--lock-wait', 'soon'], { PGSHIFT_TABLE: 'a.b.c' }, { cwd });
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.message).toBe('4 problems with the settings');
    expect(error.problems.map((p: { message: string }) => p.message)).toEqual([
      expect.stringContaining('--lock-wait must be a duration'),
      'pgshift.json: strictOrder must be true or false, got a string',
      'PGSHIFT_TABLE: invalid tracking table name "a.b.c": at most one dot (schema.table)',
      expect.stringContaining('pgshift.json: lockTimeout must be a duration'),
    ]);
  });

  it('refuses a scratchUrl in the file without printing it, and says to use the environment', async () => {
    const cwd = await project({ dir: 'db/migrations', scratchUrl: 'postgres://ci:s3cret-pw@scratch.internal/postgres' });
    const run = await runCli(['verify'], {}, { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pgshift.json: "scratchUrl" is refused: a URL or a password does not belong in a committed file');
    expect(run.stderr).toContain('PGSHIFT_SCRATCH_URL');
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  });

  it('names where a missing migrations directory was set', async () => {
    const cwd = await project({ dir: 'db/migratoins' });
    const fromFile = await runCli(['validate'], {}, { cwd });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain('migrations directory db/migratoins does not exist (from "dir" in pgshift.json)');
    expect(fromFile.stderr).toContain('correct "dir" in pgshift.json');
    const fromEnv = await runCli(['validate', '--json'], { PGSHIFT_DIR: 'nowhere' }, { cwd });
    expect(JSON.parse(fromEnv.stdout).error).toMatchObject({
      code: 'DIR_NOT_FOUND',
      message: 'migrations directory nowhere does not exist (from PGSHIFT_DIR)',
    });
    const byDefault = await runCli(['validate'], {}, { cwd: join(cwd, 'elsewhere') });
    expect(byDefault.stderr).toContain(
      'migrations directory migrations does not exist (the default: no --dir, PGSHIFT_DIR or "dir" in pgshift.json named one)',
    );
  });

  it.skipIf(process.platform === 'win32')(
    'answers --help and --version without opening pgshift.json: a FIFO there, which a read would wait on forever, holds nothing up',
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'pgshift-settings-'));
      execFileSync('mkfifo', [join(cwd, 'pgshift.json')]);
      for (const args of [['--version'], ['--help'], ['migrate', '--help'], ['help', 'plan']]) {
        const run = await runCli(args, {}, { cwd });
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
        expect(run.stdout).not.toBe('');
      }
    },
  );

  it('under Deno, says in one line that pgshift.json could not be read, rather than running without it', async () => {
    const cwd = await project();
    const run = await runCli(
      ['validate'],
      { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      {
        cwd,
        runtime: [DENO, 'run', '--no-prompt', `--allow-read=${join(cwd, 'db')}`, '--allow-env', '--allow-net'],
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'error: Deno refused read access to "pgshift.json": run again with the --allow-read flag (pgshift needs --allow-read, --allow-env and --allow-net)',
    ]);
  });
});
