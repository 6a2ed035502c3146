/**
 * Rules explain; the measurement decides. A finding on a statement the
 * rehearsal measured hazardous carries the measurement; one whose hazard
 * the measurement contradicts (a type change that kept the storage, an index
 * that built nothing: no blocking lock held while work grew with the table)
 * is cleared, with the measurement as the reason; a measured hazard no rule
 * predicted is a finding of its own (`measured-hazard`), which
 * `-- pgshift:safe measured-hazard <why>` above the statement acknowledges,
 * as any rule's finding is acknowledged.
 */
import type { Acknowledgements } from '../lint/acknowledge.js';
import type { LintFinding } from '../lint/lint.js';
import { advise } from '../lint/registry.js';
import { problem, type Problem } from '../problem.js';
import type { Rehearsal, StatementMeasurement } from './types.js';

/**
 * Families whose hazard is work on the whole table under a lock, which the
 * synthetic rows show as it is: what the measurement may clear. Not
 * unbatched-dml: how many rows a WHERE matches in production, synthetic rows
 * cannot tell; nor drop-index, whose hazard is the ACCESS EXCLUSIVE queue,
 * not work that grows.
 */
const DECIDED = new Set(['rewrite', 'scan-under-lock', 'index-not-concurrent']);
const NEVER_CLEARED = new Set(['drop-index']);
/** Findings of these families already name a measured hazard. */
const NAMES_IT = new Set([...DECIDED, 'unbatched-dml', 'destructive']);

export interface Weighed {
  readonly findings: Problem[];
  readonly cleared: Rehearsal['cleared'];
}

/**
 * `complete` tells, per version and statement, whether every base table
 * the statement touched was seeded and measured: only then can the
 * measurement clear a finding.
 */
export function weigh(
  findings: readonly LintFinding[],
  rehearsal: Rehearsal,
  complete: ReadonlyMap<number, readonly boolean[]>,
  options: {
    /** measured-hazard's level as the lint settings have it (`off`: measured hazards no rule predicted are not reported; default `error`). */
    readonly level?: 'error' | 'warning' | 'off';
    /** Each migration's `-- pgshift:safe` comments, by version (readAcknowledgements). */
    readonly acknowledgements?: ReadonlyMap<number, Acknowledgements>;
  } = {},
): Weighed {
  const level = options.level ?? 'error';
  const measured = new Map<string, StatementMeasurement>();
  const fileOf = new Map<number, string>();
  for (const m of rehearsal.migrations) {
    fileOf.set(m.version, m.file);
    for (const s of m.statements) if (s.full && s.full.failed === undefined) measured.set(`${m.version}/${s.index}`, s);
  }
  const kept: Problem[] = [];
  const cleared: { file: string; line: number; rule: string; reason: string }[] = [];
  const named = new Set<string>();
  for (const { problem: p, at } of findings) {
    const key = `${at.version}/${at.index}`;
    const s = measured.get(key);
    if (!s || !p.lint) {
      kept.push(p);
      continue;
    }
    if (s.hazard !== undefined) {
      kept.push({ ...p, lint: { ...p.lint, measured: s.hazard } });
      if (NAMES_IT.has(p.lint.family)) named.add(key);
    } else if (DECIDED.has(p.lint.family) && !NEVER_CLEARED.has(p.lint.rule) && complete.get(at.version)?.[at.index] === true) {
      cleared.push({ file: p.file ?? '', line: p.line ?? s.line, rule: p.lint.rule, reason: `measured on seeded rows: ${s.summary}` });
    } else kept.push(p);
  }
  for (const m of rehearsal.migrations)
    for (const s of m.statements) {
      if (level === 'off' || s.hazard === undefined || named.has(`${m.version}/${s.index}`)) continue;
      const advice = advise({ rule: 'measured-hazard', measured: s.hazard }, { sql: '', pgVersion: 0, key: 'id' });
      const acknowledged = options.acknowledgements?.get(m.version)?.reasonFor('measured-hazard', s.line);
      kept.push(
        problem('LINT', advice.message, {
          severity: acknowledged !== undefined ? 'warning' : level,
          file: fileOf.get(m.version)!,
          line: s.line,
          version: m.version,
          hint: `Instead, ${advice.instead} To accept it, put "-- pgshift:safe measured-hazard <why>" on the line above the statement.`,
          lint: { rule: 'measured-hazard', family: 'other', measured: s.hazard, ...(acknowledged !== undefined && { acknowledged }) },
        }),
      );
    }
  return { findings: kept, cleared };
}
