/**
 * The rehearsal on seeded rows as both front ends show it: per statement,
 * what was measured at N rows (a hazard, or why it is none), the tables not
 * seeded and the findings the measurement cleared; and its --json view.
 */
import type { Rehearsal } from '../core/rehearsal/types.js';

type Json = Record<string, unknown>;

export type { Rehearsal };

/** One line per measured statement, skipped migration, table not seeded and finding cleared. */
export interface RehearsalLine {
  readonly kind: 'hazard' | 'safe' | 'skipped' | 'not-seeded' | 'cleared';
  /** `migrations/005_x.sql:2`, or the file alone. */
  readonly at: string;
  readonly text: string;
}

export function rehearsalLines(r: Rehearsal): RehearsalLine[] {
  const lines: RehearsalLine[] = [];
  for (const m of r.migrations) {
    if (m.skipped !== undefined) lines.push({ kind: 'skipped', at: m.file, text: `not rehearsed: ${m.skipped}` });
    for (const t of m.notSeeded)
      lines.push({ kind: 'not-seeded', at: m.file, text: `${t.table} not seeded (${t.reason}): the static rules stand alone` });
    for (const s of m.statements)
      lines.push({ kind: s.hazard !== undefined ? 'hazard' : 'safe', at: `${m.file}:${s.line}`, text: s.hazard ?? s.summary });
  }
  for (const c of r.cleared) lines.push({ kind: 'cleared', at: `${c.file}:${c.line}`, text: `${c.rule} cleared: ${c.reason}` });
  return lines;
}

/** `On 10,000 seeded rows per table (and 10)`. */
export const rehearsalTitle = (r: Rehearsal): string =>
  `Rehearsal on ${r.rows.toLocaleString('en-US')} seeded rows per table (and ${r.tinyRows})`;

export function rehearsalJson(r: Rehearsal): Json {
  return {
    rows: r.rows,
    tiny_rows: r.tinyRows,
    migrations: r.migrations.map((m) => ({
      version: m.version,
      file: m.file,
      ...(m.skipped !== undefined && { skipped: m.skipped }),
      seeded: m.seeded,
      not_seeded: m.notSeeded.map((t) => ({ table: t.table, reason: t.reason })),
      statements: m.statements.map((s) => ({
        index: s.index,
        line: s.line,
        ...(s.hazard !== undefined && { hazard: s.hazard }),
        summary: s.summary,
        ...(s.full && {
          ms: Math.round(s.full.ms),
          tables: s.full.tables.map((t) => ({
            table: t.table,
            ...(t.lock !== undefined && { lock: t.lock }),
            rows_read: t.rowsRead,
            rows_written: t.rowsWritten,
            rewrote: t.rewrote,
            indexes_built: t.indexesBuilt.map((i) => ({ name: i.name, bytes: i.bytes })),
            names_gone: t.namesGone,
            ...(t.readersWaitedMs !== undefined && { readers_waited_ms: Math.round(t.readersWaitedMs) }),
            ...(t.writersWaitedMs !== undefined && { writers_waited_ms: Math.round(t.writersWaitedMs) }),
          })),
        }),
      })),
    })),
    cleared: r.cleared.map((c) => ({ file: c.file, line: c.line, rule: c.rule, reason: c.reason })),
  };
}
