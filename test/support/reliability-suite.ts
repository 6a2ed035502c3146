import { afterAll, afterEach, beforeAll } from 'vitest';
import { Figures } from './reliability-figures.js';
import { createSecretRole, newDatabase, type RelDatabase } from './reliability-db.js';
import { createAudit } from './reliability-migrations.js';
import { SECRET, leaks, removeTempDirs, takeLaunched } from './reliability.js';

/**
 * The hooks the racing and crashing suites share: a login role whose password
 * is full of URL-special characters, databases with an audit table, cleanups
 * run after each test, and a check that no process printed the password.
 */
export function processSuite(name: string) {
  const figures = new Figures(name);
  let databases: RelDatabase[] = [];
  let cleanups: (() => Promise<void>)[] = [];
  let role: Awaited<ReturnType<typeof createSecretRole>>;
  beforeAll(async () => {
    role = await createSecretRole();
  });
  afterEach(async ({ task, expect }) => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups = [];
    // Whatever the test checked, no process may have printed the password.
    const runs = await takeLaunched();
    if (figures.has(task.name)) figures.add(task.name, 'outputs scanned for the password', runs.length);
    await Promise.all(databases.map((d) => d.drop()));
    databases = [];
    expect(runs.flatMap((r) => leaks({ stdout: r.stdout, stderr: r.stderr }, [SECRET]))).toEqual([]);
  });
  afterAll(async () => {
    figures.save();
    await removeTempDirs();
    await role?.drop();
  });
  return {
    figures,
    /** The URL every pgshift process gets: the test database as the role with the special password. */
    conn: (db: RelDatabase) => role.url(db.name),
    /** Runs after the test, before its databases are dropped. */
    cleanup: (fn: () => Promise<void>) => void cleanups.push(fn),
    /** A fresh database with the audit table, dropped after the test. */
    async database(): Promise<RelDatabase> {
      const db = await newDatabase();
      databases.push(db);
      await createAudit(db);
      return db;
    },
  };
}
