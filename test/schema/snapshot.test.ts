import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DbClient } from '../../src/core/ports.js';
import { snapshotSchema, type SnapshotOptions } from '../../src/postgres/catalog/index.js';
import { diffSchemas } from '../../src/schema/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { EVERYTHING } from '../support/schema-everything.js';

let databases: TestDatabase[] = [];
let clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
  clients = [];
});

/** A fresh database with `sql` run in it, and our own client on it for the snapshots. */
async function database(sql = '') {
  const db = await createDatabase();
  databases.push(db);
  const client = new pg.Client(db.url);
  await client.connect();
  clients.push(client);
  if (sql) await client.query(sql);
  return { db, client, snapshot: (options?: SnapshotOptions) => snapshotSchema(client, options) };
}

describe('schema snapshots', () => {
  it('are deep-equal for the same schema, twice in one database and across two databases built by the same SQL', async () => {
    const one = await database(EVERYTHING);
    const two = await database(EVERYTHING);
    const first = await one.snapshot();
    expect(await one.snapshot()).toEqual(first);
    expect(await two.snapshot()).toEqual(first);
    // Plain JSON: nothing is lost on the way to --json or an Action output.
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    const [{ oid }] = (await one.client.query<{ oid: string }>(`SELECT 'app.orders'::regclass::oid::text AS oid`)).rows as [
      { oid: string },
    ];
    expect(JSON.stringify(first)).not.toContain(oid);
  });

  it('read every class of object, with names schema-qualified by the server', async () => {
    const s = await (await database(EVERYTHING)).snapshot();
    expect(s.schemas.map((x) => x.name)).toEqual(['app', 'public']);
    expect(s.relations.map((r) => `${r.kind} ${r.name}`)).toEqual([
      'table app.cache',
      'table app.child',
      'table app.events',
      'table app.events_2024',
      'view app.open_orders',
      'materialized view app.order_counts',
      'table app.orders',
      'table app.users',
    ]);
    const orders = s.relations.find((r) => r.name === 'app.orders')!;
    expect(orders.columns.find((c) => c.name === 'status')).toMatchObject({
      type: 'app.status',
      default: "'new'::app.status",
      notNull: true,
    });
    expect(orders.columns.find((c) => c.name === 'status')!.grants).toEqual([{ grantee: 'PUBLIC', privilege: 'UPDATE', grantable: false }]);
    expect(orders.constraints.map((c) => `${c.name} ${c.type} ${c.validated}`)).toContain('orders_qty_check check false');
    expect(orders.indexes.find((i) => i.name === 'app.orders_user_idx')!.definition).toBe(
      "CREATE INDEX orders_user_idx ON app.orders USING btree (user_id) WHERE (status <> 'shipped'::app.status)",
    );
    expect(orders).toMatchObject({ rowSecurity: true, options: ['fillfactor=90'], comment: 'orders' });
    expect(orders.triggers.map((t) => t.name)).toEqual(['orders_touch']);
    expect(orders.policies).toMatchObject([{ name: 'own_orders', command: 'SELECT', roles: ['PUBLIC'], using: '(user_id = 1)' }]);
    expect(s.relations.find((r) => r.name === 'app.open_orders')!.rules.map((r) => r.name)).toEqual(['orders_no_delete']);
    expect(s.relations.find((r) => r.name === 'app.events_2024')).toMatchObject({ parents: ['app.events'] });
    expect(s.relations.find((r) => r.name === 'app.cache')).toMatchObject({ persistence: 'unlogged', replicaIdentity: 'full' });
    expect(s.sequences.map((q) => `${q.name} ${q.ownedBy ?? '-'} ${q.identity}`)).toEqual([
      'app.orders_id_seq app.orders.id false',
      'app.ticket - false',
      'app.users_id_seq app.users.id true',
    ]);
    expect(s.sequences.find((q) => q.name === 'app.ticket')).toMatchObject({ start: '100', increment: '5', cache: '10', cycle: true });
    // Array types, row types, multiranges and a range's constructors come with their owner: not listed.
    expect(s.types.map((t) => `${t.kind} ${t.name}`)).toEqual([
      'range app.floatrange',
      'composite app.pair',
      'domain app.positive',
      'enum app.status',
    ]);
    expect(s.routines.map((r) => `${r.kind} ${r.name}`)).toEqual([
      'function app.add(integer,integer)',
      'procedure app.noop()',
      'function app.on_ddl()',
      'aggregate app.total(integer)',
      'function app.touch()',
    ]);
    expect(s.routines.find((r) => r.kind === 'aggregate')!.definition).toBe(
      "AGGREGATE app.total(integer) (SFUNC = int4pl(integer,integer), STYPE = integer, INITCOND = '0')",
    );
    expect(s.routines.find((r) => r.name === 'app.add(integer,integer)')!.revoked).toEqual([
      { grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false },
    ]);
    expect(s.eventTriggers).toMatchObject([{ name: 'app_ddl', event: 'ddl_command_end', tags: ['CREATE TABLE'] }]);
    expect(s.statistics.map((x) => x.name)).toEqual(['app.orders_stats']);
    expect(s.defaultPrivileges).toMatchObject([{ schema: 'app', objects: 'tables', grants: [{ grantee: 'PUBLIC', privilege: 'SELECT' }] }]);
    expect(s.others.map((o) => `${o.type} ${o.identity}`)).toEqual(['collation app.bytes', 'text search configuration app.cfg']);
  });

  it('do not see the gap ADD COLUMN then DROP COLUMN leaves in attnum: equal but for the attnum, which the diff never compares', async () => {
    const gap = await database('CREATE TABLE t (a int, b int, c int); ALTER TABLE t DROP COLUMN b;');
    const plain = await database('CREATE TABLE t (a int, c int);');
    const { rows } = await gap.client.query(`SELECT attnum FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'`);
    expect(rows).toEqual([{ attnum: 3 }]);
    const [snapshot, other] = [await gap.snapshot(), await plain.snapshot()];
    expect(snapshot.relations[0]!.columns.map((c) => [c.name, c.position, c.attnum])).toEqual([
      ['a', 1, 1],
      ['c', 2, 3],
    ]);
    expect(diffSchemas(snapshot, other)).toEqual([]);
    expect(diffSchemas(other, snapshot)).toEqual([]);
    const withoutAttnum = (s: typeof snapshot) => ({
      ...s,
      relations: s.relations.map((r) => ({ ...r, columns: r.columns.map(({ attnum: _, ...c }) => c) })),
    });
    expect(withoutAttnum(snapshot)).toEqual(withoutAttnum(other));
  });

  it('regression: keep the column options a user sets, not the pg_attver stamp some servers put on every column', async () => {
    const { client, snapshot } = await database('CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a SET (n_distinct = 5);');
    const { rows } = await client.query<{ options: string[] }>(
      `SELECT attoptions AS options FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum = 1`,
    );
    expect(rows[0]!.options).toContain('n_distinct=5');
    expect((await snapshot()).relations[0]!.columns[0]!.options).toEqual(['n_distinct=5']);
  });

  it('count GRANT then REVOKE, which leaves the default ACL written out, as never granted', async () => {
    const { client, snapshot } = await database('CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;');
    const before = await snapshot();
    await client.query('GRANT SELECT ON t TO PUBLIC; REVOKE SELECT ON t FROM PUBLIC; GRANT EXECUTE ON FUNCTION f() TO PUBLIC;');
    const { rows } = await client.query(`SELECT relacl IS NOT NULL AS written FROM pg_class WHERE relname = 't'`);
    expect(rows).toEqual([{ written: true }]);
    expect(await snapshot()).toEqual(before);
  });

  it('leave out the tracking table, its index, constraints, trigger and sequence, found on the search_path or by schema', async () => {
    const tracking = (schema: string) => `
      CREATE TABLE ${schema}.schema_migrations (id serial, version bigint PRIMARY KEY, name text NOT NULL UNIQUE);
      CREATE INDEX ON ${schema}.schema_migrations (name, id);
      CREATE TRIGGER keep BEFORE UPDATE ON ${schema}.schema_migrations FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
      CREATE STATISTICS ${schema}.tracking_stats ON id, name FROM ${schema}.schema_migrations;
      INSERT INTO ${schema}.schema_migrations (version, name) VALUES (1, 'users');`;
    const empty = await (await database('CREATE SCHEMA ops')).snapshot();
    const plain = await database(`CREATE SCHEMA ops; ${tracking('public')}`);
    expect(await plain.snapshot({ exclude: [{ table: 'schema_migrations' }] })).toEqual(empty);
    expect(await plain.snapshot({ exclude: [{ schema: 'public', table: 'schema_migrations' }] })).toEqual(empty);
    const whole = await plain.snapshot();
    expect(whole.relations.map((r) => r.name)).toEqual(['public.schema_migrations']);
    expect(whole.sequences.map((q) => q.name)).toEqual(['public.schema_migrations_id_seq']);
    // Another table of the same name elsewhere stays.
    const ops = await database(`CREATE SCHEMA ops; ${tracking('ops')}`);
    expect(await ops.snapshot({ exclude: [{ schema: 'ops', table: 'schema_migrations' }] })).toEqual(empty);
    expect((await ops.snapshot({ exclude: [{ table: 'schema_migrations' }] })).relations.map((r) => r.name)).toEqual([
      'ops.schema_migrations',
    ]);
    await ops.client.query('SET search_path = ops, public');
    expect(await ops.snapshot({ exclude: [{ table: 'schema_migrations' }] })).toEqual(empty);
  });

  it('leave out what extensions own, and plpgsql, present everywhere, is no difference', async () => {
    const { client, snapshot } = await database();
    expect((await snapshot()).extensions.map((e) => e.name)).toEqual(['plpgsql']);
    expect(diffSchemas(await snapshot(), await (await database()).snapshot())).toEqual([]);
    const { rows } = await client.query<{ name: string }>(
      `SELECT name FROM pg_available_extensions WHERE name = ANY ('{pg_trgm,citext,hstore,cube,ltree}') ORDER BY name LIMIT 1`,
    );
    // Without contrib, plpgsql itself: made again, its language has a user OID and would be listed but for its extension.
    const extension = rows[0]?.name ?? 'plpgsql';
    if (extension === 'plpgsql') await client.query('DROP EXTENSION plpgsql');
    const before = await snapshot();
    await client.query(`CREATE EXTENSION ${extension}`);
    const after = await snapshot();
    expect(after.extensions.map((e) => e.name)).toEqual([...new Set([extension, 'plpgsql'])].sort());
    expect([after.types, after.routines, after.others, after.relations, after.sequences]).toEqual([[], [], [], [], []]);
    expect(diffSchemas(before, after)).toMatchObject([{ kind: 'extension', name: extension, change: 'added' }]);
    expect(diffSchemas(before, after)).toHaveLength(1);
  });
});

describe('taking a snapshot', () => {
  const session = async (client: pg.Client) =>
    (await client.query(`SELECT current_setting('search_path') AS path, current_setting('jit') AS jit`)).rows[0] as Record<string, string>;

  it('leaves the session as it was: search_path, jit and no transaction open', async () => {
    const { client, snapshot } = await database('CREATE SCHEMA app; CREATE TABLE app.t (a int);');
    await client.query(`SET search_path = app, public`);
    const before = await session(client);
    const s = await snapshot();
    expect(s.relations.map((r) => r.name)).toEqual(['app.t']);
    expect(await session(client)).toEqual(before);
    expect(before.path).toBe('app, public');
    expect(client.getTransactionStatus()).toBe('I');
  });

  it("inside the caller's transaction sees its uncommitted work and leaves the transaction going, with its own settings", async () => {
    const { client, snapshot } = await database();
    await client.query(`BEGIN; SET LOCAL search_path = public; CREATE TABLE t (a int)`);
    const before = await session(client);
    expect((await snapshot()).relations.map((r) => r.name)).toEqual(['public.t']);
    expect(client.getTransactionStatus()).toBe('T');
    expect(await session(client)).toEqual(before);
    await client.query('ROLLBACK');
    expect((await snapshot()).relations).toEqual([]);
  });

  it('works with a client that cannot say whether it is in a transaction, in one or not', async () => {
    const { client, snapshot } = await database('CREATE TABLE t (a int)');
    const sent: string[] = [];
    const plain: DbClient = { query: (text: string) => (sent.push(text), client.query(text)) as never };
    const expected = await snapshot();
    expect(await snapshotSchema(plain)).toEqual(expected);
    expect(sent).toHaveLength(2); // the savepoint refused outside a transaction, then our own
    expect(client.getTransactionStatus()).toBe('I');
    await client.query('BEGIN');
    sent.length = 0;
    expect(await snapshotSchema(plain)).toEqual(expected);
    expect(sent).toHaveLength(1);
    expect(client.getTransactionStatus()).toBe('T');
    await client.query('ROLLBACK');
  });

  it('is one round trip for node-postgres', async () => {
    const { client } = await database('CREATE TABLE t (a int)');
    let trips = 0;
    const counting = Object.assign(Object.create(client) as pg.Client, {
      query: (text: string) => (trips++, client.query(text)),
    });
    await snapshotSchema(counting);
    expect(trips).toBe(1);
  });
});
