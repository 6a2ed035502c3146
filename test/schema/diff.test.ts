import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../src/postgres/catalog/index.js';
import {
  describeChange,
  describeChanges,
  describeRestoreDifference,
  diffSchemas,
  summarizeChanges,
  type SchemaChange,
} from '../../src/schema/index.js';
import { createDatabase, type TestDatabase } from '../support/db.js';

let databases: TestDatabase[] = [];
let clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
  clients = [];
});

async function connect(sql: string): Promise<pg.Client> {
  const db = await createDatabase();
  databases.push(db);
  const client = new pg.Client(db.url);
  await client.connect();
  clients.push(client);
  if (sql) await client.query(sql);
  return client;
}

/** The diff from the schema `setup` makes to the one after `change` runs on it. */
async function diffAfter(setup: string, change: string): Promise<SchemaChange[]> {
  const client = await connect(setup);
  const before = await snapshotSchema(client);
  await client.query(change);
  return diffSchemas(before, await snapshotSchema(client));
}

/** Without PostgreSQL 18's NOT NULL constraints (`t_a_not_null`), which older servers do not have. */
const withoutNotNull = (changes: SchemaChange[]) =>
  changes.filter((c) => !(c.kind === 'constraint' && 'object' in c && (c.object as { type: string }).type === 'not null'));

describe('diffSchemas', () => {
  it('finds nothing between equal schemas', async () => {
    const client = await connect('CREATE TABLE t (id int PRIMARY KEY, a text); CREATE INDEX ON t (a);');
    expect(diffSchemas(await snapshotSchema(client), await snapshotSchema(client))).toEqual([]);
  });

  it('reports a column dropped and added again, now last, as an order change and nothing else', async () => {
    const changes = await diffAfter(
      'CREATE TABLE users (id int PRIMARY KEY, nickname text, name text);',
      'ALTER TABLE users DROP COLUMN nickname; ALTER TABLE users ADD COLUMN nickname text;',
    );
    expect(changes).toEqual([
      {
        kind: 'order',
        change: 'changed',
        name: 'public.users',
        on: 'table',
        before: ['id', 'nickname', 'name'],
        after: ['id', 'name', 'nickname'],
      },
    ]);
    expect(describeChanges(changes)).toEqual(['column order of public.users differs: id, name, nickname (was id, nickname, name)']);
  });

  it('reports a constraint re-created without its name, which PostgreSQL names anew, as dropped and added', async () => {
    const changes = await diffAfter(
      'CREATE TABLE t (a int, CONSTRAINT positive CHECK (a > 0));',
      'ALTER TABLE t DROP CONSTRAINT positive; ALTER TABLE t ADD CHECK (a > 0);',
    );
    expect(changes.map((c) => [c.kind, c.change, c.name])).toEqual([
      ['constraint', 'dropped', 'public.t.positive'],
      ['constraint', 'added', 'public.t.t_a_check'],
    ]);
    expect(describeChanges(changes)).toEqual([
      'table public.t: - constraint positive',
      'table public.t: + constraint t_a_check CHECK ((a > 0))',
    ]);
    expect(describeRestoreDifference(changes)).toEqual([
      'dropped constraint positive on public.t, which existed before UP',
      'left constraint t_a_check on public.t behind',
    ]);
  });

  it('tells a NOT VALID constraint from a validated one', async () => {
    const changes = await diffAfter(
      'CREATE TABLE t (a int); ALTER TABLE t ADD CHECK (a > 0) NOT VALID;',
      'ALTER TABLE t VALIDATE CONSTRAINT t_a_check',
    );
    expect(changes).toMatchObject([
      { kind: 'constraint', change: 'changed', name: 'public.t.t_a_check', parent: { kind: 'table', name: 'public.t' } },
    ]);
    expect(describeChanges(changes)).toEqual(['constraint t_a_check on public.t: NOT VALID → validated']);
    expect(describeRestoreDifference(changes)).toEqual(['constraint t_a_check on public.t is back validated (before UP: NOT VALID)']);
  });

  it('tells the invalid index a failed CREATE INDEX CONCURRENTLY leaves from a valid one', async () => {
    const setup = 'CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);';
    const valid = await connect(setup);
    await valid.query('DELETE FROM t; CREATE UNIQUE INDEX t_a_key ON t (a)');
    const failed = await connect(setup);
    await expect(failed.query('CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a)')).rejects.toThrow(/could not create unique index/);
    const changes = diffSchemas(await snapshotSchema(valid), await snapshotSchema(failed));
    expect(changes).toMatchObject([
      { kind: 'index', change: 'changed', name: 'public.t_a_key', fields: [{ field: 'valid', before: true, after: false }] },
    ]);
    expect(describeChanges(changes)).toEqual(['index public.t_a_key: valid → INVALID']);
  });

  it('sees enum labels in their order, whichever way it came about, and a label added', async () => {
    const direct = await snapshotSchema(await connect(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`));
    const added = await snapshotSchema(
      await connect(`CREATE TYPE mood AS ENUM ('sad', 'happy'); ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'`),
    );
    expect(diffSchemas(direct, added)).toEqual([]);
    const changes = await diffAfter(`CREATE TYPE mood AS ENUM ('sad', 'ok')`, `ALTER TYPE mood ADD VALUE 'happy'`);
    expect(describeChanges(changes)).toEqual(['type public.mood: labels sad, ok → sad, ok, happy']);
    const reordered = await snapshotSchema(await connect(`CREATE TYPE mood AS ENUM ('ok', 'sad', 'happy')`));
    expect(describeChanges(diffSchemas(direct, reordered))).toEqual(['type public.mood: labels sad, ok, happy → ok, sad, happy']);
  });

  it('sees a function body and a view definition change', async () => {
    const changes = await diffAfter(
      `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x'; CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t;`,
      `CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'; CREATE OR REPLACE VIEW v AS SELECT a, b FROM t;`,
    );
    // PostgreSQL 16 stopped qualifying the columns of a one-table view: `t.a` or `a`.
    expect(describeChanges(changes)).toEqual([
      expect.stringMatching(
        /^view public\.v: definition differs \(was: SELECT (t\.)?a FROM public\.t; now: SELECT (t\.)?a, (t\.)?b FROM public\.t\)$/,
      ),
      'view public.v: + column b integer',
      'function public.f(integer): definition differs (was: CREATE OR REPLACE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $function$SELECT x$function$; now: CREATE OR REPLACE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $function$SELECT x + 1$function$)',
    ]);
  });

  it('sees grants, a comment, row level security and a disabled trigger, each as its own change', async () => {
    const changes = await diffAfter(
      `CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC; COMMENT ON TABLE t IS 'old';
       CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;
       CREATE TRIGGER t_keep BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();`,
      `REVOKE SELECT ON t FROM PUBLIC; COMMENT ON TABLE t IS 'new'; COMMENT ON COLUMN t.a IS 'the a';
       ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t DISABLE TRIGGER t_keep;
       REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC; GRANT UPDATE (a) ON t TO PUBLIC;`,
    );
    expect(describeChanges(changes)).toEqual([
      'table public.t: row level security disabled → enabled',
      'trigger t_keep on public.t: enabled → disabled',
      "comment on table public.t: 'old' → 'new'",
      "comment on column public.t.a: none → 'the a'",
      'revoked the default EXECUTE on function public.f() from PUBLIC',
      'revoked SELECT on table public.t from PUBLIC',
      'granted UPDATE on column public.t.a to PUBLIC',
    ]);
    expect(changes.find((c) => c.kind === 'grant' && c.on === 'table')).toEqual({
      kind: 'grant',
      change: 'dropped',
      name: 'public.t',
      on: 'table',
      grant: { grantee: 'PUBLIC', privilege: 'SELECT', grantable: false },
      byDefault: false,
    });
  });

  it('says what a pull request adds, column by column, with names quoted as SQL needs', async () => {
    const changes = await diffAfter(
      'CREATE TABLE orders (id int PRIMARY KEY, total integer, user_id int); CREATE INDEX orders_user_idx ON orders (user_id);',
      `ALTER TABLE orders ALTER COLUMN total TYPE bigint; ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
       DROP INDEX orders_user_idx; CREATE INDEX orders_user_created_idx ON orders (user_id, id);
       CREATE TABLE "Order Items" (id int, "Qty" int, orders_id int REFERENCES orders); CREATE INDEX ON "Order Items" ("Qty");`,
    );
    expect(describeChanges(withoutNotNull(changes))).toEqual([
      'added table public."Order Items" (3 columns)',
      "table public.orders: + column status text NOT NULL DEFAULT 'new'::text",
      'table public.orders: ~ column total: integer → bigint',
      'table public.orders: + index orders_user_created_idx USING btree (user_id, id)',
      'table public.orders: - index orders_user_idx',
    ]);
    const summary = summarizeChanges(withoutNotNull(changes));
    expect(summary.map((g) => [g.title, g.change, g.headline])).toEqual([
      ['table public."Order Items"', 'added', 'added table public."Order Items" (3 columns)'],
      ['table public.orders', 'changed', 'table public.orders: 4 changes'],
    ]);
    expect(summary[0]!.lines.map((l) => `${l.sign} ${l.text}`)).toEqual([
      '+ column id integer',
      '+ column "Qty" integer',
      '+ column orders_id integer',
      '+ constraint "Order Items_orders_id_fkey" FOREIGN KEY (orders_id) REFERENCES public.orders(id)',
      '+ index "Order Items_Qty_idx" USING btree ("Qty")',
    ]);
    expect(summary[1]!.lines.map((l) => `${l.sign} ${l.text}`)).toEqual([
      "+ column status text NOT NULL DEFAULT 'new'::text",
      '~ column total: integer → bigint',
      '+ index orders_user_created_idx USING btree (user_id, id)',
      '- index orders_user_idx',
    ]);
    expect(summary[1]!.lines[3]).toMatchObject({ before: 'CREATE INDEX orders_user_idx ON public.orders USING btree (user_id)' });
  });

  it('says an index definition changed, with both definitions', async () => {
    const changes = await diffAfter(
      'CREATE TABLE orders (user_id int, created_at date); CREATE INDEX orders_user_idx ON orders (user_id);',
      'DROP INDEX orders_user_idx; CREATE INDEX orders_user_idx ON orders (user_id, created_at);',
    );
    expect(describeChange(changes[0]!)).toBe(
      'index public.orders_user_idx: definition differs (was: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id); now: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id, created_at))',
    );
    expect(describeRestoreDifference(changes)).toEqual([
      'index public.orders_user_idx is back with a different definition (before UP: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id); after DOWN: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id, created_at))',
    ]);
    expect(summarizeChanges(changes)[0]!.lines).toEqual([
      {
        sign: '~',
        text: 'index orders_user_idx: definition differs (was: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id); now: CREATE INDEX orders_user_idx ON public.orders USING btree (user_id, created_at))',
        before: 'CREATE INDEX orders_user_idx ON public.orders USING btree (user_id)',
        after: 'CREATE INDEX orders_user_idx ON public.orders USING btree (user_id, created_at)',
      },
    ]);
  });

  it('tells a renamed column, by its attnum, from one dropped and one added', async () => {
    const setup = 'CREATE TABLE users (id int PRIMARY KEY, nick text, age int, note text);';
    const renamed = await diffAfter(
      setup,
      'ALTER TABLE users RENAME COLUMN nick TO nickname; ALTER TABLE users RENAME COLUMN age TO years; ALTER TABLE users ALTER COLUMN years TYPE bigint;',
    );
    expect(describeChanges(renamed)).toEqual([
      'table public.users: ~ column nick renamed to nickname',
      'table public.users: ~ column age renamed to years: integer → bigint',
    ]);
    expect(summarizeChanges(renamed)[0]!.lines.map((l) => `${l.sign} ${l.text}`)).toEqual([
      '~ column nick renamed to nickname',
      '~ column age renamed to years: integer → bigint',
    ]);
    // The new column takes the next number, never the dropped one's: a drop and an add, even in the dropped one's place.
    const replaced = await diffAfter(setup, 'ALTER TABLE users DROP COLUMN note; ALTER TABLE users ADD COLUMN remark text;');
    expect(describeChanges(replaced)).toEqual(['table public.users: - column note', 'table public.users: + column remark text']);
    // Put back under its old name, it is the same column: no difference.
    expect(await diffAfter(setup, 'ALTER TABLE users RENAME COLUMN nick TO n; ALTER TABLE users RENAME COLUMN n TO nick;')).toEqual([]);
    expect(describeRestoreDifference(renamed.slice(0, 1))).toEqual([
      'column public.users.nickname is back with a different name (before UP: nick; after DOWN: nickname)',
    ]);
  });

  it('sorts by kind, then name', async () => {
    const changes = await diffAfter(
      'CREATE TABLE b (x int); CREATE TABLE a (x int);',
      'CREATE TABLE d (x int); CREATE TABLE c (x int); ALTER TABLE b ADD COLUMN y int; ALTER TABLE a ADD COLUMN y int; CREATE SCHEMA s;',
    );
    expect(changes.map((c) => `${c.kind} ${c.name}`)).toEqual([
      'schema s',
      'table public.c',
      'table public.d',
      'column public.a.y',
      'column public.b.y',
    ]);
  });
});
