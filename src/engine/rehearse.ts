/**
 * The rehearsal: each new migration, before it is proven, runs on the
 * base's tables filled with synthetic rows, at a tiny size and at N rows,
 * statement by statement, while a reader and a writer try to get through
 * (src/postgres/rehearse/). A transactional one runs in transactions rolled
 * back; a no-transaction one on copies of the database, watched from a
 * second session (rehearse-watched.ts). The measurements are judged once
 * the production sizes, if any, are known.
 */
import type { Observation } from '../core/lint/evidence.js';
import { judge } from '../core/rehearsal/verdict.js';
import type { MigrationRehearsal, Rehearsal, StatementRun } from '../core/rehearsal/types.js';
import type { Migration } from '../core/types.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import type { BaseRelation } from '../postgres/observe.js';
import { openSession } from '../postgres/pg-client.js';
import { openMeasurer } from '../postgres/rehearse/measure.js';
import { seed } from '../postgres/rehearse/seeding.js';
import { rehearseWatched } from './rehearse-watched.js';

/** N rows per table by default: a typical check stays within seconds. */
export const DEFAULT_REHEARSE_ROWS = 10_000;
/** The tiny size, against which "grows with the table" is told. */
export const TINY_ROWS = 10;

/** Where a migration is rehearsed: the scratch database as the base (and the branch's earlier migrations) left it. */
export interface RehearsalSite {
  /** The scratch database's URL: its server's own user seeds and probes. */
  readonly url: string;
  /** How the branch's migrations connect. */
  readonly branch: ConnectionInput;
  /** The base's relations, and what each UP statement was seen to do to them on empty tables. */
  readonly relations: readonly BaseRelation[];
  readonly observed: readonly (readonly Observation[])[] | undefined;
  /**
   * A new copy of the database as it is now: how the branch connects to it,
   * and how it is dropped once done with. Where a no-transaction migration is rehearsed.
   */
  readonly copy?: (() => Promise<{ readonly connection: ConnectionInput; drop(): Promise<void> }>) | undefined;
}

export interface Raw {
  readonly m: Migration;
  readonly base: Omit<MigrationRehearsal, 'statements'>;
  readonly tiny: readonly StatementRun[];
  readonly full: readonly StatementRun[];
  /** Per statement: whether every base table it touched was seeded and measured. */
  readonly complete: readonly boolean[];
}

export interface Rehearser {
  /** Rehearses one migration on the site; never throws (what went wrong is said in its entry). */
  rehearse(m: Migration, site: RehearsalSite): Promise<void>;
  /** The rehearsal, judged; `productionRows` by `schema.table`, when verify had production's sizes. */
  result(productionRows?: ReadonlyMap<string, number>): Rehearsal & { readonly complete: ReadonlyMap<number, readonly boolean[]> };
}

export function rehearser(options: { readonly rows: number; readonly timeoutMs: number }): Rehearser {
  const raws: Raw[] = [];
  const tinyRows = Math.min(TINY_ROWS, options.rows);
  return {
    async rehearse(m, site) {
      const base = { version: m.version, file: m.path };
      try {
        const run = m.transaction === 'transaction' ? rehearseOne : rehearseWatched;
        raws.push(await run(m, site, { ...options, tinyRows }));
      } catch (error) {
        const why = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        raws.push({
          m,
          base: { ...base, skipped: `the rehearsal failed: ${why}`, seeded: [], notSeeded: [] },
          tiny: [],
          full: [],
          complete: [],
        });
      }
    },
    result(productionRows) {
      const complete = new Map(raws.map((r) => [r.m.version, r.complete]));
      const migrations = raws.map((r) => ({
        ...r.base,
        statements: r.full.map((full, index) => {
          const tiny = r.tiny[index];
          const line = r.m.up.statements[index]?.line ?? 0;
          if (full.failed !== undefined) return { index, line, full, ...(tiny && { tiny }), summary: `not measured: ${full.failed}` };
          return { index, line, full, ...(tiny && { tiny }), ...judge({ tiny, full, tinyRows, rows: options.rows, productionRows }) };
        }),
      }));
      return { tinyRows, rows: options.rows, migrations, cleared: [], complete };
    },
  };
}

async function rehearseOne(
  m: Migration,
  site: RehearsalSite,
  options: { rows: number; tinyRows: number; timeoutMs: number },
): Promise<Raw> {
  const byName = new Map(site.relations.filter((r) => r.kind === 'table').map((r) => [r.name, r.oid]));
  const touchedBy = (site.observed ?? []).map((seen) =>
    seen.filter((o) => o.kind === 'table' && byName.has(o.relation)).map((o) => byName.get(o.relation)!),
  );
  const touched = [...new Set(touchedBy.flat())];
  const base = { version: m.version, file: m.path };
  if (touched.length === 0)
    return {
      m,
      base: { ...base, skipped: 'it touches no table of the base', seeded: [], notSeeded: [] },
      tiny: [],
      full: [],
      complete: [],
    };
  // Seeding and the probes run as the branch's role, never as the server's superuser: a column default, a
  // CHECK or a trigger the branch's earlier migrations put on a base table runs as whoever inserts the rows.
  const [admin, measurer] = await Promise.all([
    openSession(site.branch),
    openMeasurer({ branch: site.branch, probe: site.branch, timeoutMs: options.timeoutMs }),
  ]);
  try {
    const at = async (rows: number) => {
      const seeded = await seed(admin.client, touched, rows);
      try {
        const runs = seeded.touched.length === 0 ? [] : await measurer.measure(m.up.statements, seeded.touched);
        return { seeded, runs };
      } finally {
        await seeded.empty();
      }
    };
    const tiny = await at(options.tinyRows);
    const full = await at(options.rows);
    const measured = new Set(full.seeded.touched.map((t) => t.oid));
    // A partition touched counts as measured when its partitioned table was.
    const roots = await admin.client.query<{ oid: string; root: string }>(
      `SELECT r.oid::int8 AS oid, COALESCE(pg_catalog.pg_partition_root(r.oid), r.oid)::int8 AS root FROM pg_catalog.unnest($1::oid[]) AS r(oid)`,
      [touched],
    );
    const rootOf = new Map(roots.rows.map((r) => [Number(r.oid), Number(r.root)]));
    return {
      m,
      base: { ...base, seeded: full.seeded.tables.map((t) => t.name), notSeeded: [...full.seeded.notSeeded] },
      tiny: tiny.runs,
      full: full.runs,
      complete: touchedBy.map((oids) => oids.every((oid) => measured.has(rootOf.get(oid) ?? oid))),
    };
  } finally {
    await Promise.all([admin.close(), measurer.close()]);
  }
}
