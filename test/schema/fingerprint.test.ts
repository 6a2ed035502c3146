import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintedSnapshot, schemaFingerprint } from '../../src/postgres/catalog/index.js';
import { diffSchemas } from '../../src/schema/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createDatabase();
  client = new pg.Client(db.url);
  await client.connect();
  await client.query(`
    CREATE SCHEMA app;
    CREATE TYPE app.status AS ENUM ('new', 'paid');
    CREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
    CREATE TABLE app.orders (id serial PRIMARY KEY, user_id bigint REFERENCES app.users (id), status app.status DEFAULT 'new', note text);
    CREATE INDEX orders_user ON app.orders (user_id);
    COMMENT ON COLUMN app.orders.note IS 'free text';
    CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
    CREATE VIEW app.open_orders AS SELECT id, user_id FROM app.orders WHERE status = 'new';`);
});

afterAll(async () => {
  await client?.end().catch(() => undefined);
  await db?.drop();
});

/** `sql` run in a transaction rolled back afterwards: the fingerprint (read alone and with the snapshot) and the snapshot it leaves, read inside it. */
async function inTransaction(sql: string) {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return { alone: await schemaFingerprint(client), ...(await fingerprintedSnapshot(client)) };
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('a schema fingerprint', () => {
  it('is the same when UP then DOWN gave the schema back, and when UP again gave the first UP’s, though attnums and catalog rows moved', async () => {
    const start = await fingerprintedSnapshot(client);
    expect(start.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await schemaFingerprint(client)).toBe(start.fingerprint);
    const up =
      'ALTER TABLE app.orders ADD COLUMN extra text; CREATE INDEX orders_extra ON app.orders (extra); ALTER TABLE app.users ALTER COLUMN email SET DEFAULT $$x$$';
    const down =
      'DROP INDEX app.orders_extra; ALTER TABLE app.orders DROP COLUMN extra; ALTER TABLE app.users ALTER COLUMN email DROP DEFAULT';
    await client.query(up);
    const afterUp = await fingerprintedSnapshot(client);
    expect(afterUp.fingerprint).not.toBe(start.fingerprint);
    await client.query(down);
    expect(await schemaFingerprint(client)).toBe(start.fingerprint);
    await client.query(up);
    const { rows } = await client.query(`SELECT attnum FROM pg_attribute WHERE attrelid = 'app.orders'::regclass AND attname = 'extra'`);
    expect(rows).toEqual([{ attnum: 6 }]);
    expect(await schemaFingerprint(client)).toBe(afterUp.fingerprint);
    // Equal fingerprints, and the snapshots differ in the moved attnum only, which the diff does not compare.
    expect(diffSchemas(afterUp.snapshot, (await fingerprintedSnapshot(client)).snapshot)).toEqual([]);
    await client.query(down);
  });

  it('differs for every change the diff reports, a column order included', async () => {
    const start = await schemaFingerprint(client);
    const { snapshot } = await fingerprintedSnapshot(client);
    const changes = [
      "COMMENT ON COLUMN app.orders.note IS 'other text'",
      'GRANT SELECT ON app.orders TO PUBLIC',
      'ALTER TABLE app.orders DROP COLUMN note; ALTER TABLE app.orders ADD COLUMN note text',
      'ALTER TABLE app.orders ALTER COLUMN note SET NOT NULL',
      "ALTER TYPE app.status RENAME VALUE 'paid' TO 'settled'",
      'ALTER INDEX app.orders_user RENAME TO orders_by_user',
      'CREATE OR REPLACE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a - b',
      'ALTER SCHEMA app RENAME TO shop',
    ];
    for (const sql of changes) {
      const changed = await inTransaction(sql);
      expect(diffSchemas(snapshot, changed.snapshot), sql).not.toEqual([]);
      expect(changed.fingerprint, sql).not.toBe(start);
      // Read alone or with the snapshot, the same schema has the same fingerprint.
      expect(changed.alone, sql).toBe(changed.fingerprint);
    }
    expect(await schemaFingerprint(client)).toBe(start);
  });
});
