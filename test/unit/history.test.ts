import { describe, expect, it } from 'vitest';
import { compareHistory as compare, selectToApply, selectToRollback, type History } from '../../src/core/history.js';
import { createParser } from '../../src/core/migration.js';
import { errorsOf, PgshiftError } from '../../src/core/problem.js';
import { planRun } from '../../src/core/run-plan.js';
import type { AppliedRow, Migration, MigrationFile } from '../../src/core/types.js';

const parse = createParser();
const compareHistory = (files: MigrationFile[], rows: AppliedRow[], options: { strictOrder?: boolean } = {}): History =>
  compare({ files, rows, parse, ...options });
/** What stops a migrate run, as one error: the history's errors (and the pending files'). */
const blockingError = (files: MigrationFile[], rows: AppliedRow[], options: { strictOrder?: boolean } = {}) =>
  planRun({ files, listingProblems: [], rows, maxVersion: 1e15, table: 't', request: { direction: 'up' }, parse, ...options }).error;

const file = (version: number, options: { down?: boolean; checksum?: string; name?: string } = {}): MigrationFile => ({
  version,
  name: options.name ?? `m${version}`,
  fileName: `${String(version).padStart(3, '0')}_${options.name ?? `m${version}`}.sql`,
  path: `migrations/${String(version).padStart(3, '0')}_m${version}.sql`,
  checksum: options.checksum ?? `sum${version}`,
  text: options.down === false ? 'SELECT 1;\n' : '-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;\n',
});
const row = (version: number, minute: number, checksum: string | null = `sum${version}`): AppliedRow => ({
  version,
  name: `m${version}`,
  appliedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  checksum,
  durationMs: 1,
});

describe('history', () => {
  it('pending means no row for the version, never "newer than the last applied"', () => {
    const history = compareHistory([file(1), file(2), file(3)], [row(1, 0), row(3, 1)]);
    expect(history.pending.map((m) => m.version)).toEqual([2]);
    expect(history.pendingViews[0]?.outOfOrder).toBe(true);
    expect(history.problems).toMatchObject([{ code: 'OUT_OF_ORDER', severity: 'warning', version: 2 }]);
    expect(errorsOf(history.problems)).toEqual([]);
  });

  it('makes out-of-order an error under strict order', () => {
    expect(blockingError([file(1), file(2)], [row(2, 0)], { strictOrder: true })?.code).toBe('OUT_OF_ORDER');
  });

  it('reports edited, renamed and missing applied files, all at once', () => {
    const files = [file(1, { checksum: 'other' }), file(2, { name: 'renamed' })];
    const rows = [row(1, 0), row(2, 1), row(3, 2)];
    const history = compareHistory(files, rows);
    expect(history.applied.map((a) => a.fileState)).toEqual(['changed', 'changed', 'missing']);
    expect(history.problems.map((p) => p.code)).toEqual(['CHECKSUM_MISMATCH', 'NAME_MISMATCH', 'MISSING_FILE']);
    const error = blockingError(files, rows);
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toContain('3 problems');
  });

  it('trusts rows without a checksum (pycopg) as unknown, not changed', () => {
    const history = compareHistory([file(1)], [row(1, 0, null)]);
    expect(history.applied[0]?.fileState).toBe('unknown');
    expect(history.problems).toEqual([]);
  });

  it('parses only pending files: an applied file is trusted by its checksum', () => {
    const broken = { ...file(1), text: '-- UP\nCOMMIT;\n' };
    expect(compareHistory([broken], [row(1, 0)]).fileProblems).toEqual([]);
    expect(compareHistory([broken], []).fileProblems.map((e) => e.code)).toEqual(['TRANSACTION_CONTROL']);
  });

  it('selects pending up to an inclusive target', () => {
    const history = compareHistory([file(1), file(2), file(3)], []);
    expect(selectToApply(history, 2).map((m) => m.version)).toEqual([1, 2]);
  });

  it('rolls back in reverse order of application, not of version', () => {
    const history = compareHistory([file(1), file(2), file(3)], [row(1, 0), row(3, 1), row(2, 2)]);
    expect((selectToRollback(history, { steps: 2 }, parse) as Migration[]).map((m) => m.version)).toEqual([2, 3]);
    expect((selectToRollback(history, { target: 1 }, parse) as Migration[]).map((m) => m.version)).toEqual([2, 3]);
  });

  it('refuses the whole rollback when any migration in it lacks a DOWN or its file', () => {
    const history = compareHistory([file(1), file(2, { down: false })], [row(1, 0), row(2, 1), row(3, 2)]);
    const result = selectToRollback(history, { steps: 3 }, parse);
    expect(result).toBeInstanceOf(PgshiftError);
    expect((result as PgshiftError).problems.map((p) => p.code)).toEqual(['MISSING_FILE', 'NO_DOWN_SECTION']);
  });
});
