/**
 * Waves: the order a fleet is migrated in. Pure: the waves as written are
 * checked, then the targets are dealt into them in order.
 */
import { problem, type Problem } from '../core/problem.js';

/** A wave as pgshift.json writes it. */
export interface WaveSpec {
  readonly name?: string;
  /** The targets whose labels hold all of these. */
  readonly select?: Readonly<Record<string, string>>;
  /** This share of all targets (rounded up), from those not yet taken. */
  readonly percent?: number;
  /** This many targets, from those not yet taken. */
  readonly count?: number;
  /** Targets migrated at once in this wave. Default: the run's concurrency. */
  readonly concurrency?: number;
  /** Stop after this many failed targets (`2`) or this share of the wave (`"5%"`). Default 1. */
  readonly maxFailures?: number | string;
  /** Seconds to wait after the wave before the health check and the next wave. */
  readonly bakeSeconds?: number;
  /** What must succeed before the next wave: SQL (starting with SELECT or WITH) on each target of the wave, or a shell command. */
  readonly health?: string;
}

/** A wave with its targets dealt. */
export interface Wave<T> {
  readonly name: string;
  readonly targets: readonly T[];
  readonly concurrency?: number;
  /** Failed targets that stop the run. */
  readonly maxFailures: number;
  readonly bakeSeconds: number;
  readonly health?: string;
}

/** One canary, then 10 %, then the rest. */
export const DEFAULT_WAVES: readonly WaveSpec[] = [{ name: 'canary', count: 1 }, { name: '10%', percent: 10 }, { name: 'rest' }];

const KEYS = new Set(['name', 'select', 'percent', 'count', 'concurrency', 'maxFailures', 'bakeSeconds', 'health']);

/** Every problem with `waves` as written, each naming the wave. */
export function checkWaves(list: unknown, where: string): readonly Problem[] {
  const problems: Problem[] = [];
  const bad = (message: string, hint: string) => problems.push(problem('INVALID_OPTION', `${where}: ${message}`, { hint }));
  if (!Array.isArray(list)) {
    bad('waves must be a list', 'write "waves": [{ "name": "canary", "count": 1 }, { "name": "rest" }]');
    return problems;
  }
  list.forEach((entry: unknown, index) => {
    const at = `wave ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      bad(`${at} is not an object`, 'write { "name": "canary", "count": 1 }');
      return;
    }
    const w = entry as Record<string, unknown>;
    for (const key of Object.keys(w)) if (!KEYS.has(key)) bad(`${at} has an unknown key "${key}"`, `a wave holds ${[...KEYS].join(', ')}`);
    if (w.name !== undefined && typeof w.name !== 'string') bad(`${at}: name must be text`, 'write "name": "canary"');
    const takers = ['select', 'percent', 'count'].filter((k) => w[k] !== undefined);
    if (takers.length > 1) bad(`${at} has ${takers.join(' and ')}: give one`, 'a wave takes targets by select, percent or count');
    const select = w.select;
    if (
      select !== undefined &&
      (typeof select !== 'object' || select === null || Array.isArray(select) || !Object.values(select).every((v) => typeof v === 'string'))
    )
      bad(`${at}: select must be an object of labels`, 'write "select": { "tier": "canary" }');
    if (w.percent !== undefined && !(typeof w.percent === 'number' && w.percent > 0 && w.percent <= 100))
      bad(`${at}: percent must be a number above 0, at most 100`, 'write "percent": 10');
    for (const key of ['count', 'concurrency'] as const)
      if (w[key] !== undefined && !(Number.isInteger(w[key]) && (w[key] as number) >= 1))
        bad(`${at}: ${key} must be a whole number ≥ 1`, `write "${key}": 4`);
    if (w.bakeSeconds !== undefined && !(typeof w.bakeSeconds === 'number' && w.bakeSeconds >= 0))
      bad(`${at}: bakeSeconds must be a number ≥ 0`, 'write "bakeSeconds": 60');
    if (w.maxFailures !== undefined && parseMaxFailures(w.maxFailures) === undefined)
      bad(`${at}: maxFailures must be a whole number ≥ 1 or a share such as "5%"`, 'write "maxFailures": 1 or "maxFailures": "5%"');
    if (w.health !== undefined && (typeof w.health !== 'string' || w.health.trim() === ''))
      bad(`${at}: health must be a command or SQL`, 'write "health": "SELECT count(*) > 0 FROM accounts" or "health": "./check.sh"');
  });
  return problems;
}

/** `2` → 2 targets; `"5%"` → that share of the wave. */
export function parseMaxFailures(value: unknown): { readonly count: number } | { readonly percent: number } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? { count: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (match) {
    const percent = Number(match[1]);
    return percent > 0 && percent <= 100 ? { percent } : undefined;
  }
  return /^\d+$/.test(value.trim()) && Number(value) >= 1 ? { count: Number(value) } : undefined;
}

/**
 * Deals the targets into the waves, in order: each wave takes from the
 * targets no earlier wave took; one without select, percent or count takes
 * all that are left; targets no wave took make a last wave, "rest". Empty
 * waves are dropped.
 */
export function dealWaves<T extends { readonly labels: Readonly<Record<string, string>> }>(
  targets: readonly T[],
  specs: readonly WaveSpec[],
): readonly Wave<T>[] {
  let left = [...targets];
  const waves: Wave<T>[] = [];
  specs.forEach((spec, index) => {
    let taken: T[];
    if (spec.select !== undefined) {
      const select = spec.select;
      taken = left.filter((t) => Object.entries(select).every(([k, v]) => t.labels[k] === v));
    } else if (spec.percent !== undefined) taken = left.slice(0, Math.ceil((targets.length * spec.percent) / 100));
    else if (spec.count !== undefined) taken = left.slice(0, spec.count);
    else taken = left;
    const set = new Set(taken);
    left = left.filter((t) => !set.has(t));
    if (taken.length > 0) waves.push(waveOf(spec.name ?? `wave ${index + 1}`, taken, spec));
  });
  if (left.length > 0) waves.push(waveOf('rest', left, {}));
  return waves;
}

function waveOf<T>(name: string, targets: readonly T[], spec: WaveSpec): Wave<T> {
  const max = parseMaxFailures(spec.maxFailures ?? 1) ?? { count: 1 };
  const maxFailures = 'count' in max ? max.count : Math.max(1, Math.ceil((targets.length * max.percent) / 100));
  return {
    name,
    targets,
    ...(spec.concurrency !== undefined && { concurrency: spec.concurrency }),
    maxFailures,
    bakeSeconds: spec.bakeSeconds ?? 0,
    ...(spec.health !== undefined && { health: spec.health }),
  };
}

/** A health check written as SQL rather than as a command. */
export const isSqlHealth = (health: string): boolean => /^\s*(select|with)\b/i.test(health);
