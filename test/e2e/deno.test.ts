import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';

// The README's Deno command, `deno run --allow-read --allow-env --allow-net dist/cli/index.js ...`:
// those three permissions are enough for every command that reads files and talks to PostgreSQL
// (none asks for --allow-sys, --allow-write or --allow-run), and a missing one is said in one line.

const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n';
const NEEDED = ['--allow-read', '--allow-env', '--allow-net'];

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createDatabase();
  dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
});
afterAll(async () => db.drop());

/** The bundle under Deno with exactly these permissions; --no-prompt so that a missing one fails instead of asking. */
function deno(permissions: readonly string[], args: readonly string[]): Promise<Run> {
  return runCli(
    args,
    { DATABASE_URL: db.url, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    { runtime: [DENO, 'run', '--no-prompt', ...permissions] },
  );
}

describe('the CLI bundle under Deno', () => {
  it('migrates, reports status and rolls back with --allow-read --allow-env --allow-net alone', async () => {
    const migrate = await deno(NEEDED, ['migrate', '--dir', dir, '--json']);
    expect(migrate.stderr).toBe('');
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout).applied.map((a: { version: number }) => a.version)).toEqual([1, 2]);
    const status = await deno(NEEDED, ['status', '--dir', dir, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ applied_count: 2, pending_count: 0 });
    const rollback = await deno(NEEDED, ['rollback', '--dir', dir]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('Rolled back 1 migration');
  });

  it('runs with read narrowed to the migrations directory and the config file, and net to the server', async () => {
    const server = new URL(db.url);
    // Every command reads pgshift.json when it is there: a read Deno refuses is said, never taken for an absent file.
    const narrow = [`--allow-read=${dir},pgshift.json`, `--allow-net=${server.hostname}:${server.port || 5432}`, '--allow-env'];
    const status = await deno(narrow, ['status', '--dir', dir, '--json']);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toHaveProperty('applied_count');
  });

  for (const missing of NEEDED) {
    it(`without ${missing}, says so in one line that names the flag`, async () => {
      const run = await deno(
        NEEDED.filter((p) => p !== missing),
        ['status', '--dir', dir],
      );
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).not.toContain('Uncaught');
      expect(lines[0]).toContain(missing);
    });
  }
});
