/**
 * Counters the reliability tests keep (processes raced, migrations applied,
 * crashes injected, bad inputs tried, outputs scanned for secrets, ...), one
 * JSON file per test file under .tmp/reliability/figures/, which
 * scripts/reliability-report.mjs joins with vitest's results into
 * docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIGURES_DIR = fileURLToPath(new URL('../../.tmp/reliability/figures/', import.meta.url));

export interface TestFigures {
  /** The test's title, as vitest reports it. */
  readonly test: string;
  readonly area: string;
  /** What was tried, in a sentence. */
  readonly tried: string;
  /** What must hold, in a sentence. */
  readonly holds: string;
  readonly counts: Record<string, number>;
}

export interface BadInputRecord {
  /** Position in the case table. */
  readonly index: number;
  readonly test: string;
  readonly name: string;
  readonly category: string;
  /** The expected exit code(s), e.g. `2` or `1 or 2`. */
  readonly code: string;
  readonly message: string;
  readonly runs: number;
}

export class Figures {
  private readonly tests = new Map<string, TestFigures>();
  private readonly cases: BadInputRecord[] = [];
  private readonly facts: Record<string, string> = {};

  constructor(private readonly file: string) {}

  /** Declares a test's scenario; counts start at 0. */
  describe(test: string, area: string, tried: string, holds: string): void {
    if (!this.tests.has(test)) this.tests.set(test, { test, area, tried, holds, counts: {} });
  }

  has(test: string): boolean {
    return this.tests.has(test);
  }

  /** Adds to a count of a declared test. */
  add(test: string, key: string, n = 1): void {
    const entry = this.tests.get(test);
    if (!entry) throw new Error(`figures: test "${test}" was not described`);
    entry.counts[key] = (entry.counts[key] ?? 0) + n;
  }

  badInput(record: BadInputRecord): void {
    this.cases.push(record);
  }

  fact(key: string, value: string): void {
    this.facts[key] = value;
  }

  save(): void {
    mkdirSync(FIGURES_DIR, { recursive: true });
    const document = { file: this.file, facts: this.facts, tests: [...this.tests.values()], badInputs: this.cases };
    writeFileSync(join(FIGURES_DIR, `${this.file}.json`), JSON.stringify(document, null, 2));
  }
}
