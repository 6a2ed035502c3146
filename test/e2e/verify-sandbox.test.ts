/**
 * A pull request's migrations are a stranger's code: `pgshift verify` (the
 * built CLI, as a workflow runs it) must give them nothing of the runner's
 * (its environment's secrets, its files, the production password), must end
 * within its deadline however they hang, and must leave no process, server
 * or directory behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from '../support/cli.js';
import { adminUrl } from '../support/db.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin, query } from '../support/scratch-support.js';
import { findPostgres } from '../../src/scratch/index.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';

/** What a runner's environment holds: none of it may reach the migrations or the output. */
const SECRETS = {
  GITHUB_TOKEN: 'ghs_sandboxTestToken0123456789abcdef',
  INPUT_GITHUB_TOKEN: 'ghs_sandboxTestToken0123456789abcdef',
  INPUT_CONNECTION: 'postgres://app:Pr0dPassw0rd-xyz@prod.example.com:5432/app',
  DATABASE_URL: 'postgres://app:Pr0dPassw0rd-xyz@prod.example.com:5432/app',
  PGPASSWORD: 'pgpassword-from-env-42',
  ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-31337',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-27182',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-key-1618033988',
};
const VALUES = [...new Set(Object.values(SECRETS))].flatMap((v) => [v, ...(/:(.*)@/.exec(v)?.slice(1) ?? [])]);

let binFlag: string[] = [];
let temp: string;
beforeAll(async () => {
  binFlag = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => [],
    async () => ['--postgres-bin', await embeddedBin()],
  );
  // Where the scratch servers go (RUNNER_TEMP): open to the server's user when these tests run as root.
  temp = await mkdtemp(join(tmpdir(), 'pgshift-sandbox-'));
  execFileSync('chmod', ['755', temp]);
});
afterAll(async () => rm(temp, { recursive: true, force: true }));

async function branch(added: Record<string, string>): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'README.md': 'x', 'migrations/001_users.sql': USERS });
  // What actions/checkout leaves behind: the token in .git/config.
  git(repo, 'config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${SECRETS.GITHUB_TOKEN}`);
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (const [file, sql] of Object.entries(added)) await writeFile(join(repo, 'migrations', file), sql);
  return repo;
}

function verify(repo: string, ...args: string[]): Promise<Run> {
  return runCli(['verify', '--base', 'main', '--json', ...binFlag, ...args], { ...SECRETS, RUNNER_TEMP: temp }, { cwd: repo });
}

interface Doc {
  ok: boolean;
  problems: { code: string; message: string; file?: string; sqlstate?: string }[];
  schema_diff: string[];
  sandbox?: { server: string; superuser: boolean; minimal_environment: boolean; deadline_ms: number; os_user?: string };
}
const doc = (run: Run): Doc => JSON.parse(run.stdout) as Doc;

/** Nothing of the runner's secrets anywhere the check writes. */
function expectNoSecret(run: Run): void {
  for (const value of VALUES) {
    expect(run.stdout).not.toContain(value);
    expect(run.stderr).not.toContain(value);
  }
}

/** No scratch server directory and no process of one left behind. */
async function expectNothingLeft(marker?: string): Promise<void> {
  expect((await readdir(temp)).filter((f) => f.startsWith('pgshift-scratch-'))).toEqual([]);
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  expect(processes).not.toContain(temp);
  if (marker) expect(processes).not.toContain(marker);
}

describe('verify: what a pull request migration can reach', () => {
  it('runs the new migrations without superuser rights: programs, server files, ALTER SYSTEM and other sessions are refused', async () => {
    const attacks = {
      '002_env.sql': "-- UP\nCREATE TABLE loot (t text);\nCOPY loot FROM PROGRAM 'env';\n",
      '003_file.sql': "-- UP\nSELECT pg_read_file('/proc/self/environ');\n",
    };
    for (const [file, sql] of Object.entries({
      ...attacks,
      '004_copy_file.sql': "-- UP\nCREATE TABLE loot (t text);\nCOPY loot FROM '/etc/passwd';\n",
      '007_gitconfig.sql': "-- UP\nSELECT pg_read_binary_file(current_setting('data_directory') || '/../../.git/config');\n",
      '005_alter_system.sql': "-- pgshift:no-transaction\n-- UP\nALTER SYSTEM SET password_encryption = 'md5';\n",
      '006_kill.sql':
        "-- UP\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend';\n",
    })) {
      const repo = await branch({ [file]: sql });
      const run = await verify(repo);
      const report = doc(run);
      expectNoSecret(run);
      if (file === '006_kill.sql') {
        // Only sessions of its own role can be ended: pgshift's are the superuser's, so the check goes on.
        expect(report.problems.filter((p) => p.code === 'SCRATCH_ENDED')).toEqual([]);
        continue;
      }
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(report.problems[0], file).toMatchObject({ code: 'MIGRATION_FAILED', file: `migrations/${file}`, sqlstate: '42501' });
      expect(report.sandbox).toMatchObject({ server: 'private', superuser: false, minimal_environment: true });
    }
    await expectNothingLeft();
  });

  it('with --superuser, gives the server only PATH and a locale: the environment a migration reads holds no secret', async () => {
    // Each line of the server's environment becomes a table, which the schema diff then shows.
    const leak =
      "-- UP\nCREATE TABLE loot (t text);\nCOPY loot FROM PROGRAM 'env';\n" +
      "DO $$ DECLARE r record; BEGIN FOR r IN SELECT t FROM loot LOOP EXECUTE format('CREATE TABLE %I ()', 'env ' || left(r.t, 50)); END LOOP; END $$;\n";
    const repo = await branch({ '002_leak.sql': leak });
    const run = await verify(repo, '--superuser');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = doc(run);
    const seen = report.schema_diff.filter((line) => line.includes('env '));
    // The channel works: the variables PostgreSQL was given are there...
    expect(seen.join('\n')).toContain('PATH=');
    expect(seen.join('\n')).toContain('HOME=');
    // ...and none of the runner's.
    for (const name of Object.keys(SECRETS)) expect(seen.join('\n')).not.toContain(`${name}=`);
    expectNoSecret(run);
    expect(report.sandbox).toMatchObject({ superuser: true });
    await expectNothingLeft();
  });

  it('never sends a password to the scratch server, even with PGPASSWORD set and its authentication switched to password', async () => {
    // As a superuser, the migration turns every connection to cleartext password authentication and reloads.
    const hba =
      "-- UP\nDO $$ BEGIN EXECUTE format('COPY (SELECT %L UNION ALL SELECT %L) TO %L', 'local all all password', " +
      "'host all all 0.0.0.0/0 password', current_setting('hba_file')); END $$;\nSELECT pg_reload_conf();\n";
    const repo = await branch({ '002_hba.sql': hba, '003_next.sql': '-- UP\nCREATE TABLE t (id int);\n' });
    const run = await verify(repo, '--superuser');
    expect(run.code).toBe(1);
    expectNoSecret(run);
    const problems = doc(run)
      .problems.map((p) => p.message)
      .join('\n');
    expect(problems).toContain('asked for a password');
    await expectNothingLeft();
  });
});

describe('verify: what the owner role still does', () => {
  it('alters what the base made, under roles the base made, next to its event trigger, and installs a trusted extension', async () => {
    const role = `app_${process.pid}`;
    const base =
      `-- UP\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE ROLE ${role};\nCREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n` +
      `ALTER TABLE accounts OWNER TO ${role};\n` +
      'CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\n' +
      'CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION audit_ddl();\n';
    const repo = await gitRepo();
    await commit(repo, { 'README.md': 'x', 'migrations/001_base.sql': base });
    git(repo, 'checkout', '-q', '-b', 'feature');
    const added =
      '-- UP\nCREATE EXTENSION citext;\nALTER TABLE accounts ALTER COLUMN email TYPE citext;\n' +
      'CREATE INDEX accounts_email_idx ON accounts (email);\nSELECT gen_random_uuid();\n' +
      '-- DOWN\nDROP INDEX accounts_email_idx;\nALTER TABLE accounts ALTER COLUMN email TYPE text;\nDROP EXTENSION citext;\n';
    await writeFile(join(repo, 'migrations', '002_email.sql'), added);
    // The lint has its say on rewrites and locks elsewhere: here only whether the owner may do it.
    const run = await verify(repo, '--lint', 'off');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(doc(run).sandbox).toMatchObject({ superuser: false });
    await expectNothingLeft();
  });
});

describe('verify: a migration that never ends, or ends the server', () => {
  it('stops a pg_sleep at the deadline, naming the migration, and leaves nothing behind', async () => {
    const repo = await branch({ '002_sleep.sql': '-- UP\nSELECT pg_sleep(3600);\n' });
    // A deadline well past the server's start on a loaded machine; the sleep is an hour.
    const run = await verify(repo, '--verify-timeout', '20s', '--statement-timeout', '0');
    expect(run.code).toBe(1);
    expect(doc(run).problems).toMatchObject([
      { code: 'VERIFY_TIMEOUT', message: expect.stringContaining('UP of migrations/002_sleep.sql') },
    ]);
    await expectNothingLeft();
  });

  it('stops a no-transaction migration that turned its statement timeout off', async () => {
    const sql = '-- pgshift:no-transaction\n-- UP\nSET statement_timeout = 0;\nSELECT pg_sleep(3600);\n';
    const repo = await branch({ '002_sleep.sql': sql });
    const run = await verify(repo, '--verify-timeout', '20s', '--statement-timeout', '1s');
    expect(run.code).toBe(1);
    expect(doc(run).problems).toMatchObject([{ code: 'VERIFY_TIMEOUT' }]);
    await expectNothingLeft();
  });

  it('ends promptly when a program started by a migration holds the server socket, and kills that program', async () => {
    const marker = `sleep 9${Math.floor(Math.random() * 1000) + 1000}`;
    const sql = `-- UP\nCOPY (SELECT 1) TO PROGRAM '${marker} &';\nCREATE TABLE t (id int);\n-- DOWN\nDROP TABLE t;\n`;
    const repo = await branch({ '002_child.sql': sql });
    const run = await verify(repo, '--superuser', '--verify-timeout', '60s');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expectNothingLeft(marker);
  });

  it("names a migration that ends pgshift's session as the cause, not pgshift", async () => {
    const sql =
      "-- UP\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend';\n";
    const repo = await branch({ '002_kill.sql': sql });
    const run = await verify(repo, '--superuser');
    expect(run.code).toBe(1);
    const report = doc(run);
    expect(report.problems.map((p) => p.code)).not.toContain('INTERNAL');
    expect(report.problems[0]?.message).toContain('migrations/002_kill.sql');
    await expectNothingLeft();
  });

  it('names a migration that kills the scratch server', async () => {
    const sql = "-- UP\nCOPY (SELECT 1) TO PROGRAM 'kill -9 $(ps -o ppid= -p $PPID)';\nCREATE TABLE t (id int);\n";
    const repo = await branch({ '002_kill.sql': sql });
    const run = await verify(repo, '--superuser');
    expect(run.code).toBe(1);
    expect(doc(run).problems).toMatchObject([{ code: 'SCRATCH_ENDED', message: expect.stringContaining('migrations/002_kill.sql') }]);
    await expectNothingLeft();
  });
});

describe('verify on a given scratch server', () => {
  it('fails a migration that leaves a superuser role or an ALTER SYSTEM setting on it', async () => {
    const role = `pgshift_evil_${process.pid}`;
    const sql = `-- pgshift:no-transaction\n-- UP\nCREATE ROLE ${role} SUPERUSER;\nALTER SYSTEM SET work_mem = '7MB';\n-- DOWN\nSELECT 1;\n`;
    const repo = await branch({ '002_role.sql': sql });
    try {
      const run = await verify(repo, '--scratch-url', adminUrl());
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const leftover = doc(run).problems.find((p) => p.code === 'CLUSTER_LEFTOVER');
      expect(leftover).toMatchObject({ file: 'migrations/002_role.sql' });
      expect(leftover?.message).toContain(`role ${role} (superuser)`);
      expect(leftover?.message).toContain('setting work_mem = 7MB (ALTER SYSTEM)');
      expect(doc(run).sandbox).toMatchObject({ server: 'given' });
    } finally {
      await query(adminUrl(), `DROP ROLE IF EXISTS ${role}`);
      await query(adminUrl(), 'ALTER SYSTEM RESET work_mem');
    }
  });
});
