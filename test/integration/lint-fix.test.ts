/**
 * The lint's safe way is SQL users paste as it is: the fixes of the most
 * common findings, written into migration files, run through pgshift on a
 * real database and do what the original statement meant.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Migrator, memorySource } from '../../src/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

const BASE =
  "-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text, handle text);\nINSERT INTO users SELECT g, 'u' || g || '@x.io', NULL FROM generate_series(1, 25000) g;\n";

/** The fix of the one finding of `rule` on `up`, as migration files. */
async function fixFor(up: string, rule: string): Promise<string[]> {
  const report = await new Migrator({
    source: memorySource({ '001_base.sql': BASE, '002_x.sql': `-- UP\nSET lock_timeout = '2s';\n${up}\n` }),
  }).lint({
    files: ['002_x.sql'],
  });
  const fix = report.findings.find((f) => f.lint?.rule === rule)?.lint?.fix;
  expect(fix, JSON.stringify(report.findings)).toBeDefined();
  // Several migrations come as "-- migration N: ..." blocks.
  return fix!.split(/^-- migration \d+: .*\n/m).filter((part) => part.trim() !== '');
}

async function migrateWith(files: string[]) {
  db = await createDatabase();
  const source = memorySource(Object.fromEntries([['001_base.sql', BASE], ...files.map((text, i) => [`00${i + 2}_fix.sql`, text])]));
  const report = await new Migrator({ connection: db.url, source }).migrate();
  expect(report.error?.format()).toBeUndefined();
  return db;
}

describe("the lint's safe way runs as written", () => {
  it('unbatched-dml: the batched no-transaction UPDATE fills every row', async () => {
    const files = await fixFor("UPDATE users SET handle = split_part(email, '@', 1);", 'unbatched-dml');
    expect(files[0]).toMatch(/^-- pgshift:no-transaction\n-- UP\nDO \$\$/);
    const d = await migrateWith(files);
    expect(await d.query("SELECT count(*)::int AS n FROM users WHERE handle IS DISTINCT FROM split_part(email, '@', 1)")).toEqual([
      { n: 0 },
    ]);
  });

  it('create-index and set-not-null: CONCURRENTLY in a no-transaction migration; the CHECK, VALIDATE and NOT NULL', async () => {
    const index = await fixFor('CREATE INDEX users_email_idx ON users (email);', 'create-index');
    const notNull = await fixFor('ALTER TABLE users ALTER COLUMN email SET NOT NULL;', 'set-not-null');
    const d = await migrateWith([...index, ...notNull]);
    expect(await d.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass")).toEqual([
      { valid: true },
    ]);
    expect(
      await d.query("SELECT attnotnull AS not_null FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'"),
    ).toEqual([{ not_null: true }]);
  });
});
