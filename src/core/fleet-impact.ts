/**
 * What a pull request's new migrations would do across a fleet, as verify
 * reports it: which targets still lack them, and the largest tables the
 * verify findings say they rewrite or scan, by target, from each target's
 * catalog. Pure: the request from a report, the summary from each target's
 * answer.
 */
import type { Problem } from './problem.js';

/** `rewrite`: the table is copied (a rewrite finding); `scan`: read whole under a lock (a scan or a non-concurrent index build). */
export type TableWork = 'rewrite' | 'scan';

/** A table as a finding names it, each part as the catalog spells it: `{ name: 'orders' }`, `{ schema: 'sales', name: 'Big' }`. */
export interface ImpactTable {
  readonly schema?: string;
  readonly name: string;
  readonly work: TableWork;
}

/** What verify asks of the fleet: the new migrations' versions and the tables its findings rewrite or scan. */
export interface ImpactRequest {
  readonly versions: readonly number[];
  readonly tables: readonly ImpactTable[];
}

/** One table on one target: `schema.table` as the target's catalog has it, its estimated rows (-1: never analysed) and bytes. */
export interface TableOnTarget {
  readonly table: string;
  readonly work: TableWork;
  readonly rows: number;
  readonly bytes: number;
}

/** `touched`: lacks one of the new migrations; `applied`: has them all; `unreachable`: no answer (not set, refused, timed out); `failed`: answered with a problem. */
export type TargetImpactState = 'touched' | 'applied' | 'unreachable' | 'failed';

/** One target's answer. */
export interface TargetImpact {
  readonly id: string;
  readonly state: TargetImpactState;
  /** The new versions it lacks. */
  readonly pending: readonly number[];
  /** The tables it would rewrite or scan there, the most rows first (only for `touched`). */
  readonly tables: readonly TableOnTarget[];
  /** Why it gave no answer: never a URL or a password. */
  readonly error?: string;
}

/** The fleet's answer: counts, the largest tables by target, each target's answer. */
export interface FleetImpact {
  /** Targets listed. */
  readonly total: number;
  readonly touched: number;
  readonly applied: number;
  readonly unreachable: number;
  readonly failed: number;
  /** The largest tables rewritten or scanned, the most rows first, with the target: at most {@link LARGEST}. */
  readonly largest: readonly (TableOnTarget & { readonly id: string })[];
  readonly targets: readonly TargetImpact[];
  /** Problems with the list of targets itself (a bad entry, an unset variable), as warnings: they never fail the check. */
  readonly problems: readonly Problem[];
}

/** The port verify asks through: a `Fleet` is one. */
export interface FleetLook {
  impact(request: ImpactRequest): Promise<FleetImpact>;
}

/** How many of the largest tables the summary names. */
export const LARGEST = 5;

const WORK: Readonly<Record<string, TableWork>> = { rewrite: 'rewrite', 'scan-under-lock': 'scan', 'index-not-concurrent': 'scan' };

/** The versions of the new migrations and the tables the findings rewrite or scan (a rewrite wins over a scan of the same table). */
export function impactRequest(migrations: readonly { readonly version: number }[], findings: readonly Problem[]): ImpactRequest {
  const tables = new Map<string, ImpactTable>();
  for (const f of findings) {
    const work = WORK[f.lint?.family ?? ''];
    const parts = f.lint?.relation === undefined ? [] : nameParts(f.lint.relation);
    if (work === undefined || parts.length === 0 || parts.length > 2) continue;
    const [first, second] = parts as [string, string?];
    const table: ImpactTable = second === undefined ? { name: first, work } : { schema: first, name: second, work };
    const key = JSON.stringify([table.schema ?? null, table.name]);
    if (tables.get(key)?.work !== 'rewrite') tables.set(key, table);
  }
  return { versions: migrations.map((m) => m.version), tables: [...tables.values()] };
}

/** `sales."Big"` → ['sales', 'Big']: each part as PostgreSQL folds it (unquoted to lower case). */
function nameParts(name: string): string[] {
  const parts: string[] = [];
  for (const m of name.trim().matchAll(/"((?:[^"]|"")*)"|([^."\s]+)/g))
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
  return parts;
}

/** The most rows first (never analysed counts as none), then the most bytes. */
export const byRows = (a: TableOnTarget, b: TableOnTarget): number => Math.max(b.rows, 0) - Math.max(a.rows, 0) || b.bytes - a.bytes;

/** The counts and the largest tables from each target's answer. */
export function summariseImpact(targets: readonly TargetImpact[], problems: readonly Problem[]): FleetImpact {
  const count = (state: TargetImpactState) => targets.filter((t) => t.state === state).length;
  const largest = targets
    .flatMap((t) => (t.state === 'touched' ? t.tables.map((table) => ({ ...table, id: t.id })) : []))
    .sort(byRows)
    .slice(0, LARGEST);
  return {
    total: targets.length,
    touched: count('touched'),
    applied: count('applied'),
    unreachable: count('unreachable'),
    failed: count('failed'),
    largest,
    targets,
    problems,
  };
}
