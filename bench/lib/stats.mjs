// Samples, medians, ranges and ratios paired within a round.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Samples by row key (`scenario|tool`) and sample index (the round, or
 * round × reps + rep for start-up), plus the first failure of each row.
 */
export class Samples {
  constructor() {
    this.rows = new Map();
    this.failures = new Map();
  }

  add(key, index, ms) {
    if (!this.rows.has(key)) this.rows.set(key, []);
    this.rows.get(key)[index] = ms;
  }

  fail(key, reason) {
    if (!this.failures.has(key)) this.failures.set(key, reason);
  }

  failed(key) {
    return this.failures.has(key);
  }

  values(key) {
    return (this.rows.get(key) ?? []).filter((v) => Number.isFinite(v));
  }

  summary(key) {
    const values = this.values(key);
    if (values.length === 0) return undefined;
    return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
  }

  /** Median over the samples both rows have of a[i] / b[i], with its range. */
  ratio(keyA, keyB) {
    const a = this.rows.get(keyA) ?? [];
    const b = this.rows.get(keyB) ?? [];
    const ratios = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] > 0) ratios.push(a[i] / b[i]);
    }
    if (ratios.length === 0) return undefined;
    return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), n: ratios.length };
  }
}

/** The rotation of `list` that starts at `offset`: each round starts with another contender. */
export function rotate(list, offset) {
  if (list.length === 0) return [];
  const k = ((offset % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
