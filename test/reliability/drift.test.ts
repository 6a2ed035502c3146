/**
 * Drift and history damage: files changed after they were applied, and
 * tracking tables that were tampered with. For each damage, status and
 * validate must report it clearly, and migrate, rollback and plan must
 * refuse to act on a history they cannot trust, changing nothing (a dump of
 * the database is compared before and after).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Figures } from '../support/reliability-figures.js';
import { createSecretRole, newDatabase, type RelDatabase } from '../support/reliability-db.js';
import { SECRET, leaks, openMigrationsDir, runCliFully, removeTempDirs, takeLaunched } from '../support/reliability.js';

const figures = new Figures('drift');
let role: Awaited<ReturnType<typeof createSecretRole>>;
beforeAll(async () => {
  role = await createSecretRole();
});
afterAll(async () => {
  figures.save();
  await removeTempDirs();
  await takeLaunched();
  await role?.drop();
});

const FILES = {
  '001_users.sql': '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n',
  '002_orders.sql': '-- UP\nCREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users);\n-- DOWN\nDROP TABLE orders;\n',
  '003_items.sql': '-- UP\nCREATE TABLE items (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE items;\n',
};

interface Damage {
  readonly name: string;
  readonly damage: (ctx: { db: RelDatabase; dir: string }) => Promise<void>;
  /** Expected in what every command says. */
  readonly message: string | RegExp;
  /** The code migrate and rollback report in --json. */
  readonly code: string;
  /** status lists the problem and exits 1: every damage here is an error-level problem, or a table it cannot read. */
  readonly statusCode: 0 | 1;
}

const sql =
  (statement: string) =>
  async ({ db }: { db: RelDatabase }) =>
    void (await db.query(statement));

const DAMAGES: readonly Damage[] = [
  {
    name: 'an applied file edited',
    damage: ({ dir }) => writeFile(join(dir, '001_users.sql'), FILES['001_users.sql'].replace('PRIMARY KEY', 'PRIMARY KEY, email text')),
    message: '001_users.sql was edited after it was applied (checksum differs)',
    code: 'CHECKSUM_MISMATCH',
    statusCode: 1,
  },
  {
    name: 'the last applied file edited (the one rollback would undo)',
    damage: ({ dir }) =>
      writeFile(join(dir, '002_orders.sql'), FILES['002_orders.sql'].replace('DROP TABLE orders;', 'DROP TABLE orders CASCADE;')),
    message: '002_orders.sql was edited after it was applied',
    code: 'CHECKSUM_MISMATCH',
    statusCode: 1,
  },
  {
    name: 'an applied file renamed',
    damage: ({ dir }) => rename(join(dir, '001_users.sql'), join(dir, '001_people.sql')),
    message: 'is applied under the name "users"; the file was renamed',
    code: 'NAME_MISMATCH',
    statusCode: 1,
  },
  {
    name: 'an applied file renumbered',
    damage: ({ dir }) => rename(join(dir, '001_users.sql'), join(dir, '004_users.sql')),
    message: 'migration 1 (users) is applied but its file is gone',
    code: 'MISSING_FILE',
    statusCode: 1,
  },
  {
    name: 'an applied file deleted',
    damage: ({ dir }) => rm(join(dir, '002_orders.sql')),
    message: 'migration 2 (orders) is applied but its file is gone',
    code: 'MISSING_FILE',
    statusCode: 1,
  },
  {
    name: 'every file deleted',
    damage: async ({ dir }) => {
      for (const f of Object.keys(FILES)) await rm(join(dir, f));
    },
    message: 'the migrations directory has no migration files, but 2 migrations are applied: is the directory right?',
    code: 'MISSING_FILE',
    statusCode: 1,
  },
  {
    name: 'a tracking row for a version with no file',
    damage: sql(`INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (99, 'ghost', 'deadbeef', 1)`),
    message: 'migration 99 (ghost) is applied but its file is gone',
    code: 'MISSING_FILE',
    statusCode: 1,
  },
  {
    name: 'tracking table without its name column',
    damage: sql('ALTER TABLE schema_migrations DROP COLUMN name'),
    message: 'tracking table schema_migrations has no name column; pgshift cannot trust this history',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'tracking table without its applied_at column',
    damage: sql('ALTER TABLE schema_migrations DROP COLUMN applied_at'),
    message: 'has no applied_at column',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'tracking table without its version column',
    damage: sql('ALTER TABLE schema_migrations DROP COLUMN version'),
    message: 'has no version column',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'version column of type text',
    damage: sql('ALTER TABLE schema_migrations ALTER COLUMN version TYPE text'),
    message: 'has a version column that is not an integer',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'name column of type integer',
    damage: sql('ALTER TABLE schema_migrations ALTER COLUMN name TYPE int USING length(name)'),
    message: 'has a name column that is not text',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'applied_at column of type text',
    damage: sql('ALTER TABLE schema_migrations ALTER COLUMN applied_at TYPE text'),
    message: 'has an applied_at column that is not a timestamp',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'checksum column of type integer',
    damage: sql('ALTER TABLE schema_migrations ALTER COLUMN checksum TYPE int USING 0'),
    message: 'has a checksum column that is not text',
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
  {
    name: 'a version recorded twice (primary key dropped)',
    damage: sql(`ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey;
                 INSERT INTO schema_migrations (version, name, applied_at, checksum, duration_ms)
                 SELECT version, name, applied_at + interval '1 second', checksum, duration_ms FROM schema_migrations WHERE version = 2`),
    message: /version 2 .*(twice|more than once|duplicate)|(twice|more than once|duplicate).*version 2/i,
    code: 'TRACKING_TABLE_INVALID',
    statusCode: 1,
  },
];

/** Every `message` in a JSON document. */
function messages(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(messages);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => (k === 'message' && typeof v === 'string' ? [v] : messages(v)));
  return [];
}

describe.concurrent('drift and history damage', () => {
  for (const d of DAMAGES) {
    it(d.name, async ({ expect }) => {
      figures.describe(
        d.name,
        'Drift and history damage',
        'status --json, validate, plan, migrate and rollback (human and --json) on the damaged history',
        `status/validate report it; migrate, rollback and plan refuse (exit 1, ${d.code}); the dump is unchanged`,
      );
      const db = await newDatabase();
      try {
        const { dir } = await openMigrationsDir(FILES);
        const env = { DATABASE_URL: role.url(db.name) };
        const setup = await runCliFully(['migrate', '--dir', dir, '--target', '2'], { env });
        expect(setup.code, setup.stderr).toBe(0);
        await d.damage({ db, dir });
        const before = await db.dump();
        const check = (text: string, what: string) => {
          if (typeof d.message === 'string') expect(text, what).toContain(d.message);
          else expect(text, what).toMatch(d.message);
        };
        const run = async (args: string[]) => {
          const r = await runCliFully([...args, '--dir', dir], { env });
          figures.add(d.name, 'commands run');
          expect(leaks({ stdout: r.stdout, stderr: r.stderr }, [SECRET])).toEqual([]);
          expect(r.stderr).not.toMatch(/\n\s+at /);
          return { ...r, shown: `pgshift ${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}` };
        };

        const status = await run(['status', '--json']);
        expect(status.code, status.shown).toBe(d.statusCode);
        check(
          d.statusCode === 0 ? messages(JSON.parse(status.stdout).problems).join('\n') : messages(JSON.parse(status.stdout)).join('\n'),
          status.shown,
        );

        const validate = await run(['validate']);
        expect(validate.code, validate.shown).toBe(1);
        check(validate.stdout + validate.stderr, validate.shown);

        const plan = await run(['plan']);
        expect(plan.code, plan.shown).toBe(1);
        check(plan.stdout + plan.stderr, plan.shown);

        for (const command of ['migrate', 'rollback']) {
          const human = await run([command]);
          expect(human.code, human.shown).toBe(1);
          check(human.stderr, human.shown);
          const json = await run([command, '--json']);
          expect(json.code, json.shown).toBe(1);
          const doc = JSON.parse(json.stdout);
          expect(doc, json.shown).toMatchObject({ ok: false, error: { code: d.code } });
          expect(doc.applied ?? doc.rolled_back, json.shown).toEqual([]);
          check(messages(doc.error).join('\n'), json.shown);
        }
        expect(await db.dump(), 'the database after every command').toBe(before);
      } finally {
        await db.drop();
      }
    });
  }
});
