/**
 * verify's fleet line as both front ends show it: how many targets the
 * change would touch, and the largest tables it would rewrite or scan, by
 * target; and its --json view. Targets are named by their ids only.
 */
import type { FleetImpact, TargetImpact } from '../core/fleet-impact.js';
import { formatSize } from '../core/lint/lint.js';
import { problemJson } from '../json.js';
import { plural } from './format.js';

export type { FleetImpact };

/** How names and prose are written: as they are in a terminal, escaped in Markdown. */
export interface Words {
  readonly name: (value: string) => string;
  readonly text: (value: string) => string;
}

/** At most this many targets that did not answer are named. */
const NAMED = 5;

/**
 * `would touch 812 of 816 targets (3 already have the new migrations,
 * 1 unreachable: eu-9); largest rewrites and scans: public.orders ≈41.0 M rows,
 * 2.1 GB (rewrite) on acme, …`.
 */
export function fleetImpactLine(f: FleetImpact, w: Words): string {
  const besides = [
    f.applied > 0 ? `${f.applied} already ${f.applied === 1 ? 'has' : 'have'} the new migrations` : '',
    unanswered(f.targets, 'unreachable', w),
    unanswered(f.targets, 'failed', w),
  ].filter(Boolean);
  const counts = `would touch ${f.touched} of ${plural(f.total, 'target')}${besides.length > 0 ? ` (${besides.join(', ')})` : ''}`;
  const largest =
    f.largest.length === 0
      ? f.touched > 0
        ? '; no table it rewrites or scans is big enough to name'
        : ''
      : `; largest rewrites and scans: ${f.largest
          .map((t) => `${w.name(t.table)} ${w.text(formatSize(t.rows, t.bytes))} (${t.work}) on ${w.name(t.id)}`)
          .join(', ')}`;
  return `${counts}${largest}`;
}

/** `1 unreachable: eu-9`, `7 failed: a, b, c, d, e, …`; empty for none. */
function unanswered(targets: readonly TargetImpact[], state: 'unreachable' | 'failed', w: Words): string {
  const ids = targets.filter((t) => t.state === state).map((t) => t.id);
  if (ids.length === 0) return '';
  const named = ids.slice(0, NAMED).map(w.name).join(', ');
  return `${ids.length} ${state === 'failed' ? 'could not be read' : 'unreachable'}: ${named}${ids.length > NAMED ? ', …' : ''}`;
}

/** Why each target that did not answer did not, one line each: `eu-9: connection refused (EU9_DATABASE_URL)`. */
export function unansweredLines(f: FleetImpact): string[] {
  return f.targets.filter((t) => t.error !== undefined).map((t) => `${t.id}: ${t.error}`);
}

const tableJson = (t: { table: string; work: string; rows: number; bytes: number }) => ({
  table: t.table,
  work: t.work,
  rows: t.rows,
  bytes: t.bytes,
});

/** `verify --json`'s `fleet`: the counts, the largest tables by target, and each target's answer. */
export function fleetImpactJson(f: FleetImpact): Record<string, unknown> {
  return {
    total: f.total,
    touched: f.touched,
    applied: f.applied,
    unreachable: f.unreachable,
    failed: f.failed,
    largest: f.largest.map((t) => ({ id: t.id, ...tableJson(t) })),
    targets: f.targets.map((t) => ({
      id: t.id,
      state: t.state,
      pending: t.pending,
      tables: t.tables.map(tableJson),
      ...(t.error !== undefined && { error: t.error }),
    })),
    problems: f.problems.map((p) => problemJson(p)),
  };
}
