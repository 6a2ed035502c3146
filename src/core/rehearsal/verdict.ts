/**
 * The verdict on one statement from its two runs: a hazard is a lock that
 * blocks others (a table lock of SHARE or stronger, or row locks on most of
 * the rows) held while the work grows with the table, or a name that is
 * gone (code still using it fails). Said in the measurement's own words.
 */
import { formatDuration } from '../duration.js';
import type { StatementRun, TableMeasure } from './types.js';

/** Table lock modes that make writers wait; ACCESS EXCLUSIVE makes readers wait too. */
const BLOCKS_WRITES = new Set(['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE']);

export interface VerdictInput {
  readonly tiny: StatementRun | undefined;
  readonly full: StatementRun;
  readonly tinyRows: number;
  readonly rows: number;
  /** Production's row estimate per table (`schema.table`), when verify was given a production connection. */
  readonly productionRows?: ReadonlyMap<string, number> | undefined;
}

/** The hazard in words (undefined when none was measured) and the measurement in words either way. */
export function judge(input: VerdictInput): { hazard?: string; summary: string } {
  const hazards: string[] = [];
  const quiet: string[] = [];
  for (const t of input.full.tables) {
    // A table the statement left alone (no lock of its own or held from before, no rows): nothing to say.
    if (t.lock === undefined && t.rowsRead + t.rowsWritten === 0 && !t.rewrote && t.indexesBuilt.length === 0 && t.namesGone.length === 0)
      continue;
    const before = input.tiny?.tables.find((x) => x.table === t.table);
    const words = judgeTable(t, before, input);
    (words.hazard ? hazards : quiet).push(words.text);
  }
  const summary = [...hazards, ...quiet].join('; ') || `touched no seeded table in ${formatDuration(Math.round(input.full.ms))}`;
  return hazards.length > 0 ? { hazard: hazards.join('; '), summary } : { summary };
}

function judgeTable(t: TableMeasure, tiny: TableMeasure | undefined, input: VerdictInput): { hazard: boolean; text: string } {
  const work = t.rowsRead + t.rowsWritten;
  const tinyWork = tiny ? tiny.rowsRead + tiny.rowsWritten : 0;
  const built = t.indexesBuilt.reduce((n, i) => n + i.bytes, 0);
  const tinyBuilt = tiny?.indexesBuilt.reduce((n, i) => n + i.bytes, 0) ?? 0;
  const grows = t.rewrote || work - tinyWork >= (input.rows - input.tinyRows) / 2 || (t.indexesBuilt.length > 0 && built > tinyBuilt);
  const rowLocks = t.rowsWritten >= input.rows / 2;
  const blocks = (t.lock !== undefined && BLOCKS_WRITES.has(t.lock)) || rowLocks;
  const ms = formatDuration(Math.round(input.full.ms));
  const doing = activity(t, input.rows);
  const held =
    t.lock && BLOCKS_WRITES.has(t.lock)
      ? `held ${t.lock} on ${t.table} for ${ms}`
      : `locked ${count(t.rowsWritten)} rows of ${t.table} for ${ms}`;
  const parts: string[] = [];
  if (blocks && grows) {
    parts.push(`${held}${doing ? ` while ${doing}` : ''}`);
    const waited = [
      t.readersWaitedMs !== undefined && `reads waited ${formatDuration(Math.round(t.readersWaitedMs))}`,
      t.writersWaitedMs !== undefined && `writes waited ${formatDuration(Math.round(t.writersWaitedMs))}`,
    ].filter(Boolean);
    if (waited.length > 0) parts.push(waited.join(', '));
    parts.push('grows with the table');
    const production = input.productionRows?.get(t.table);
    if (production !== undefined && production > 0) {
      const estimate = Math.round((input.full.ms * production) / Math.max(1, input.rows));
      parts.push(`≈ ${formatDuration(estimate)} at its ${compact(production)} rows`);
    }
  }
  if (t.namesGone.length > 0 && parts.length === 0 && t.lock) parts.push(`held ${t.lock} on ${t.table} for ${ms}`);
  if (t.namesGone.length > 0)
    parts.push(
      `${t.namesGone.join(', ')} ${t.namesGone.length > 1 ? 'are' : 'is'} gone: code still using ${t.namesGone.length > 1 ? 'them' : 'it'} fails`,
    );
  if (parts.length > 0) return { hazard: true, text: parts.join('; ') };
  const lock = t.lock ? `took ${t.lock} on ${t.table} for ${ms}` : `ran ${ms} on ${t.table}`;
  const why = t.rewrote
    ? 'rewrote it'
    : `read ${count(t.rowsRead)} and wrote ${count(t.rowsWritten)} of ${count(input.rows)} rows, no rewrite${t.indexesBuilt.length > 0 ? '' : ', no index built'}`;
  return { hazard: false, text: `${lock}; ${why}: does not block others while work grows with the table` };
}

/** What the statement did to the table's rows: `rewriting 10,000 rows`, `building index public.x over 10,000 rows`. */
function activity(t: TableMeasure, rows: number): string | undefined {
  const n = count(Math.max(t.rowsRead, t.rowsWritten));
  // A rewrite reads the rows more than once (the indexes are built again from the new file): the table's rows are what it rewrote.
  if (t.rewrote) return `rewriting ${count(rows)} rows`;
  if (t.indexesBuilt.length > 0) return `building ${t.indexesBuilt.map((i) => `index ${i.name}`).join(', ')} over ${n} rows`;
  if (t.rowsWritten > 0) return `writing ${count(t.rowsWritten)} rows`;
  if (t.rowsRead > 0) return `reading ${n} rows`;
  return undefined;
}

/** `10,000`. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `41 M`, `120 k`. */
const compact = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} G` : n >= 1e6 ? `${Math.round(n / 1e6)} M` : n >= 1e4 ? `${Math.round(n / 1e3)} k` : count(n);
