/**
 * The action's apply with its drift check (on by default: `drift: fail`):
 * the built dist/index.js on a push to the default branch, against a
 * database migrated by pgshift and then changed by hand.
 */
import { dirname } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPostgres } from '../../src/scratch/index.js';
import { pushEvent, runAction, type ActionRun } from '../support/action.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { addFiles, migrationsDir } from '../support/files.js';
import { embeddedBin } from '../support/scratch-support.js';

const ORDERS =
  "-- UP\nCREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', note text);\n-- DOWN\nDROP TABLE orders;\n";
const USERS = '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const INDEX = 'index public.orders_note_idx exists in the database but no migration made it';
const DEFAULT = "column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text";

/** The postgres-bin input only where the machine has no PostgreSQL of its own. */
let bin: Record<string, string> = {};
beforeAll(async () => {
  bin = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => ({}),
    async () => ({ 'postgres-bin': await embeddedBin() }),
  );
});

let db: TestDatabase;
let dir: string;
beforeEach(async () => {
  db = await createDatabase();
  dir = await migrationsDir({ '001_orders.sql': ORDERS });
  const first = await apply();
  expect(first.code, first.stdout).toBe(0);
  await db.query("CREATE INDEX orders_note_idx ON orders (note); ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending'");
  await addFiles(dir, { '002_users.sql': USERS });
});
afterEach(() => db.drop());

const apply = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
  runAction({ workspace: dirname(dir), event: pushEvent('main'), inputs: { connection: db.url, dir: 'migrations', ...bin, ...inputs } });
/** How the summary writes user text: underscores as character references. */
const md = (s: string) => s.replace(/_/g, '&#95;');
const usersExists = async () => (await db.query("SELECT to_regclass('public.users') IS NOT NULL AS found"))[0]?.found === true;

describe("the action's apply, drift checked first", () => {
  it('refuses by default with the list of differences, and applies nothing', async () => {
    const run = await apply();
    expect(run.code).toBe(1);
    const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
    expect(errors.at(-1)).toMatch(
      /^migrate failed: the database differs from what its 1 applied migrations make \(2 differences\); nothing was run/,
    );
    expect(run.summary).toContain(md(INDEX));
    expect(await usersExists()).toBe(false);
  });

  it('drift: warn applies and warns with each difference', async () => {
    const run = await apply({ drift: 'warn' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toContain(md(INDEX));
    expect(run.summary).toContain(md(DEFAULT));
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([{ version: 2, name: 'users' }]);
    expect(await usersExists()).toBe(true);
  });

  it('drift: off does not look', async () => {
    const run = await apply({ drift: 'off' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain(INDEX);
    expect(await usersExists()).toBe(true);
  });

  it('refuses a bad drift input, naming it', async () => {
    const run = await apply({ drift: 'strict' });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('drift must be fail, warn or off, got "strict"');
    expect(await usersExists()).toBe(false);
  });
});
