/**
 * The rehearsal of a no-transaction migration. Its statements commit as they
 * run, so nothing can be rolled back: it runs on copies of the scratch
 * database (CREATE DATABASE … TEMPLATE, as the base and the branch's earlier
 * migrations left it), never on the database the proof goes on with. Which
 * base tables it touches is learnt on the first copy, where every base table
 * is seeded at the tiny size (no transaction to observe it in first, as for
 * the others); the second copy has those tables at N rows.
 */
import { changesTheServer } from '../core/statement-kind.js';
import type { StatementRun, TableMeasure } from '../core/rehearsal/types.js';
import type { Migration } from '../core/types.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import { openSession } from '../postgres/pg-client.js';
import { seed, type Seeded } from '../postgres/rehearse/seeding.js';
import { openWatched } from '../postgres/rehearse/watched.js';
import type { Raw, RehearsalSite } from './rehearse.js';

export async function rehearseWatched(
  m: Migration,
  site: RehearsalSite,
  options: { rows: number; tinyRows: number; timeoutMs: number },
): Promise<Raw> {
  const base = { version: m.version, file: m.path };
  const skip = (why: string): Raw => ({ m, base: { ...base, skipped: why, seeded: [], notSeeded: [] }, tiny: [], full: [], complete: [] });
  const server = m.up.statements.find((s) => changesTheServer({ text: s.sql }));
  if (server)
    return skip(
      `it runs outside a transaction and its statement on line ${server.line} changes the server, not only its database: rehearsed, it would stay for the proof`,
    );
  if (!site.copy) return skip('it runs outside a transaction and the database could not be copied to rehearse it on');
  const tables = site.relations.filter((r) => r.kind === 'table').map((r) => r.oid);
  if (tables.length === 0) return skip('it touches no table of the base');
  const tiny = await onCopy(site.copy, tables, options.tinyRows, { ...options, probe: false }, m);
  const touchedBy = tiny.runs.map((run) => run.tables.filter(touched).map((t) => t.table));
  const names = new Set(touchedBy.flat());
  if (names.size === 0) return skip('it touches no table of the base');
  const oids = tiny.seeded.touched.filter((t) => names.has(t.name)).map((t) => t.oid);
  const full = await onCopy(site.copy, oids, options.rows, { ...options, probe: true }, m);
  const measured = new Set(full.seeded.touched.map((t) => t.name));
  const notSeeded = [
    ...tiny.seeded.notSeeded,
    ...full.seeded.notSeeded.filter((n) => !tiny.seeded.notSeeded.some((t) => t.table === n.table)),
  ];
  const only = (run: StatementRun): StatementRun => ({ ...run, tables: run.tables.filter((t) => names.has(t.table)) });
  return {
    m,
    base: { ...base, seeded: full.seeded.tables.map((t) => t.name), notSeeded },
    tiny: tiny.runs.map(only),
    full: full.runs,
    // What a table that could not be seeded went through was not seen: only a full view clears a rule's finding.
    complete: touchedBy.map((list) => list.length > 0 && tiny.seeded.notSeeded.length === 0 && list.every((t) => measured.has(t))),
  };
}

/** The migration's statements on a fresh copy with `tables` seeded at `rows`, watched; the copy is dropped after. */
async function onCopy(
  copy: NonNullable<RehearsalSite['copy']>,
  tables: readonly number[],
  rows: number,
  options: { timeoutMs: number; probe: boolean },
  m: Migration,
): Promise<{ seeded: Seeded; runs: StatementRun[] }> {
  const made = await copy();
  try {
    return await onDatabase(made.connection, tables, rows, options, m);
  } finally {
    await made.drop();
  }
}

async function onDatabase(
  branch: ConnectionInput,
  tables: readonly number[],
  rows: number,
  options: { timeoutMs: number; probe: boolean },
  m: Migration,
): Promise<{ seeded: Seeded; runs: StatementRun[] }> {
  const admin = await openSession(branch);
  try {
    const seeded = await seed(admin.client, tables, rows);
    if (seeded.touched.length === 0) return { seeded, runs: [] };
    const watched = await openWatched(branch, options.timeoutMs);
    try {
      return { seeded, runs: await watched.run(m.up.statements, seeded.touched, { probe: options.probe }) };
    } finally {
      await watched.close();
    }
  } finally {
    await admin.close();
  }
}

/** A table the statement did something to, or held a lock on. */
const touched = (t: TableMeasure): boolean =>
  t.lock !== undefined || t.rowsRead + t.rowsWritten > 0 || t.rewrote || t.indexesBuilt.length > 0 || t.namesGone.length > 0;
