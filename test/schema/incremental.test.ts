import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogTracker, snapshotSchema, type SnapshotOptions } from '../../src/postgres/catalog/index.js';
import { diffSchemas } from '../../src/schema/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { EVERYTHING } from '../support/schema-everything.js';

let db: TestDatabase;
let client: pg.Client;
const options: SnapshotOptions = { exclude: [{ schema: 'app', table: 'cache' }] };

beforeAll(async () => {
  db = await createDatabase();
  client = new pg.Client(db.url);
  await client.connect();
  await client.query(EVERYTHING);
  await client.query(`
    CREATE TABLE app.users_list (id int PRIMARY KEY, email text);
    CREATE VIEW app.user_emails AS SELECT id, email FROM app.users_list;
    CREATE VIEW app.user_emails_too AS SELECT email FROM app.user_emails;`);
});

afterAll(async () => {
  await client?.end().catch(() => undefined);
  await db?.drop();
});

/**
 * Each change is committed, then read by one tracker kept across them all;
 * `reads`: whether it may keep relations from its last read ('some') or
 * must read them all ('all': a change to names outside the relations).
 */
const STEPS: [sql: string, reads: 'some' | 'all'][] = [
  ['ALTER TABLE app.orders ADD COLUMN note text', 'some'],
  ["COMMENT ON COLUMN app.orders.note IS 'a note'", 'some'],
  ['COMMENT ON COLUMN app.orders.note IS NULL', 'some'],
  ['CREATE INDEX orders_note ON app.orders (note)', 'some'],
  ["COMMENT ON INDEX app.orders_note IS 'by note'", 'some'],
  ['DROP INDEX app.orders_note', 'some'],
  ['CREATE INDEX CONCURRENTLY orders_note2 ON app.orders (note)', 'some'],
  ['DROP INDEX CONCURRENTLY app.orders_note2', 'some'],
  // Names other relations' rows hold: a foreign key's table, a view's table and columns, a default's sequence.
  ['ALTER TABLE app.users RENAME TO customers', 'some'],
  ['ALTER TABLE app.customers RENAME COLUMN id TO customer_id', 'some'],
  ['ALTER TABLE app.users_list RENAME COLUMN email TO mail', 'some'],
  ['ALTER VIEW app.user_emails RENAME TO emails', 'some'],
  ['ALTER SEQUENCE app.orders_id_seq RENAME TO order_ids', 'some'],
  ['ALTER TABLE app.orders RENAME COLUMN user_id TO buyer', 'some'],
  ['GRANT SELECT ON app.orders TO PUBLIC', 'some'],
  ['REVOKE ALL ON app.orders FROM PUBLIC', 'some'],
  ['ALTER TABLE app.orders DISABLE TRIGGER orders_touch', 'some'],
  ['ALTER TABLE app.orders ALTER COLUMN note TYPE varchar(20)', 'some'],
  ['ALTER TABLE app.orders ADD CONSTRAINT note_short CHECK (length(note) < 10) NOT VALID', 'some'],
  ['ALTER TABLE app.orders VALIDATE CONSTRAINT note_short', 'some'],
  ['ALTER POLICY own_orders ON app.orders RENAME TO mine', 'some'],
  // A column put back last: only the order differs, which the diff reports.
  ['ALTER TABLE app.customers ADD COLUMN a text; ALTER TABLE app.customers ADD COLUMN b text', 'some'],
  ['ALTER TABLE app.customers DROP COLUMN a; ALTER TABLE app.customers ADD COLUMN a text', 'some'],
  ["ALTER TYPE app.status ADD VALUE 'lost'", 'some'],
  // A new table, a column of another table's row type, that table renamed.
  ['CREATE TABLE app.items (id int PRIMARY KEY, order_id int REFERENCES app.orders (id), whole app.orders, many app.orders[])', 'some'],
  ['ALTER TABLE app.orders RENAME TO purchases', 'some'],
  ['ALTER TABLE app.events RENAME TO happenings', 'some'],
  ['ALTER TABLE app.happenings DETACH PARTITION app.events_2024', 'some'],
  ['ALTER TABLE app.child NO INHERIT app.cache', 'some'],
  ['ALTER TABLE app.purchases ALTER COLUMN note SET STATISTICS 500', 'some'],
  ['CREATE SCHEMA other', 'all'],
  ['ALTER TABLE app.items SET SCHEMA other', 'some'],
  ['DROP TABLE other.items', 'some'],
  ['ALTER TABLE app.purchases ALTER COLUMN status SET DEFAULT $$paid$$', 'some'],
  // Names that are not relations': a type and its labels, a function, a collation, a schema.
  ['ALTER TYPE app.status RENAME TO state', 'some'],
  ["ALTER TYPE app.state RENAME VALUE 'new' TO 'fresh'", 'some'],
  ["ALTER TYPE app.state RENAME VALUE 'shipped' TO 'sent'", 'some'],
  ['ALTER FUNCTION app.touch() RENAME TO touched', 'some'],
  ['CREATE FUNCTION app.twice(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 * 2', 'some'],
  ['ALTER TABLE app.purchases ADD COLUMN qty2 int DEFAULT app.twice(2) CHECK (app.twice(qty2) < 100)', 'some'],
  ['ALTER FUNCTION app.twice(int) RENAME TO double', 'some'],
  ["CREATE TYPE app.size AS ENUM ('s', 'm'); CREATE DOMAIN app.small AS int CHECK (VALUE < 10)", 'some'],
  ["ALTER TABLE app.purchases ADD COLUMN size app.size[] DEFAULT '{s}', ADD COLUMN few app.small", 'some'],
  ['ALTER TYPE app.size RENAME TO sizes; ALTER DOMAIN app.small RENAME TO tiny', 'some'],
  ['DROP FUNCTION app.touched() CASCADE', 'some'],
  ['ALTER TABLE app.purchases ADD COLUMN code text COLLATE app.bytes', 'some'],
  ['ALTER COLLATION app.bytes RENAME TO raw', 'some'],
  ['ALTER SCHEMA app RENAME TO shop', 'all'],
  ['DROP VIEW shop.user_emails_too', 'some'],
];

describe('a catalog tracker', () => {
  it('reads after every change the schema a whole read gives, reading again only what changed where it can', async () => {
    const tracker = new CatalogTracker(options);
    let last = await tracker.read(client);
    expect(last.whole).toBe(true);
    const relations = last.relationsRead;
    expect(relations).toBeGreaterThan(10);
    expect(last.snapshot()).toEqual(await snapshotSchema(client, options));

    const unchanged = await tracker.read(client);
    expect([unchanged.whole, unchanged.relationsRead]).toEqual([false, 0]);
    expect(unchanged.fingerprint).toBe(last.fingerprint);

    for (const [sql, reads] of STEPS) {
      await client.query(sql);
      const read = await tracker.read(client);
      const whole = await new CatalogTracker(options).read(client);
      const snapshot = await snapshotSchema(client, options);
      expect(read.fingerprint, sql).toBe(whole.fingerprint);
      expect(read.snapshot(), sql).toEqual(snapshot);
      expect(read.whole, sql).toBe(reads === 'all');
      if (reads === 'some') expect(read.relationsRead, sql).toBeLessThan(relations / 2);
      // A change the diff sees changes the fingerprint.
      expect(read.fingerprint === last.fingerprint, sql).toBe(diffSchemas(last.snapshot(), snapshot).length === 0);
      last = read;
    }
  });

  it('proves UP then DOWN gave the schema back, though attnums and catalog rows moved, and UP again the first UP’s', async () => {
    const tracker = new CatalogTracker();
    const start = await tracker.read(client);
    const up = 'ALTER TABLE shop.purchases ADD COLUMN extra text; CREATE INDEX purchases_extra ON shop.purchases (extra)';
    const down = 'DROP INDEX shop.purchases_extra; ALTER TABLE shop.purchases DROP COLUMN extra';
    await client.query(up);
    const afterUp = await tracker.read(client);
    expect(afterUp.fingerprint).not.toBe(start.fingerprint);
    await client.query(down);
    expect((await tracker.read(client)).fingerprint).toBe(start.fingerprint);
    await client.query(up);
    const again = await tracker.read(client);
    expect(again.fingerprint).toBe(afterUp.fingerprint);
    expect(again.relationsRead).toBeLessThan(start.relationsRead / 2);
    await client.query(down);
  });
});
