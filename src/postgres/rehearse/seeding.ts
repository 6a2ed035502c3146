/**
 * Seeding and emptying, on a session of the role the branch's migrations
 * run as (never a superuser's, unless verify was told to run them as one):
 * the defaults, CHECKs and triggers on the seeded tables may be the
 * branch's code. Where that role may set session_replication_role =
 * replica (a superuser), triggers do not fire on synthetic rows; elsewhere
 * they do, and a trigger that refuses them names the table as not seeded.
 * The sequences the rows advanced are set back.
 */
import type { DbClient } from '../../core/ports.js';
import { planSeed, seedStatement, type SeedTable } from './seed.js';

export interface Seeded {
  /** The seeded tables the migration touches (not the parents seeded for their sake). */
  readonly touched: readonly SeedTable[];
  readonly tables: readonly SeedTable[];
  readonly notSeeded: readonly { readonly table: string; readonly reason: string }[];
  /** Empties the seeded tables and sets their sequences back; never throws. */
  empty(): Promise<void>;
}

/** The most rows a parent table the migration does not touch is given. */
const PARENT_ROWS = 1_000;

const SEQUENCES = `
SELECT d.objid::regclass::text AS name FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
   AND d.refobjid = ANY($1::oid[]) AND d.deptype IN ('a', 'i')`;

/** Fills the tables `touched` (oids) needs with `rows` rows each; the plan's refusals and each INSERT's failure are named. */
export async function seed(client: DbClient, touched: readonly number[], rows: number): Promise<Seeded> {
  const plan = await planSeed(client, touched);
  const notSeeded = [...plan.notSeeded];
  const replica = await client.query(`SET session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  const oids = plan.tables.map((t) => t.oid);
  const sequences = (await client.query<{ name: string }>(SEQUENCES, [oids])).rows.map((r) => r.name);
  const saved: { name: string; value: string; called: boolean }[] = [];
  for (const name of sequences) {
    const { rows: state } = await client.query<{ value: string; called: boolean }>(
      `SELECT last_value::text AS value, is_called AS called FROM ${name}`,
    );
    if (state[0]) saved.push({ name, ...state[0] });
  }
  const tables: SeedTable[] = [];
  for (const table of plan.tables) {
    try {
      // A parent only gives its keys: fewer rows do, and cost less.
      const count = plan.roots.includes(table.oid) ? rows : Math.min(rows, PARENT_ROWS);
      await client.query(await seedStatement(client, table, count));
      tables.push(table);
    } catch (error) {
      notSeeded.push({ table: table.name, reason: firstLine(error) });
    }
  }
  const empty = async () => {
    for (const t of [...tables].reverse()) await client.query(`DELETE FROM ${t.sql}`).catch(() => {});
    for (const s of saved)
      await client.query(`SELECT pg_catalog.setval($1::regclass, $2::int8, $3)`, [s.name, s.value, s.called]).catch(() => {});
    // Dead rows would slow the next migration's rehearsal down; VACUUM keeps the file node (TRUNCATE would not).
    for (const t of tables) await client.query(`VACUUM ${t.sql}`).catch(() => {});
    if (replica) await client.query(`RESET session_replication_role`).catch(() => {});
  };
  // Flushed now, the rows' counts are not taken for a statement's where it is watched from another session.
  await flushStats(client);
  return { touched: tables.filter((t) => plan.roots.includes(t.oid)), tables, notSeeded, empty };
}

/** The session's table counts, written to pg_stat_user_tables when it goes idle next (PostgreSQL 15 on); before 15, nothing. */
export async function flushStats(client: DbClient): Promise<void> {
  await client.query('SELECT pg_catalog.pg_stat_force_next_flush()').catch(() => {});
}

/** The server's message, on one line: `new row for relation "t" violates check constraint "c"`. */
export const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
