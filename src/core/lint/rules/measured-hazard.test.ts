import { describe, expect, it } from 'vitest';
import { BASE, describeSql, migrationOf } from '../../../../test/support/rule-tester.js';
import { judge } from '../../rehearsal/verdict.js';
import type { Rehearsal, StatementRun, TableMeasure } from '../../rehearsal/types.js';
import { weigh } from '../../rehearsal/weigh.js';
import { readAcknowledgements } from '../acknowledge.js';
import { lintMigrations } from '../lint.js';

const ROWS = 10_000;

/** What a statement did to public.orders at `rows` rows. */
const run = (rows: number, t: Partial<TableMeasure>, ms = 50): StatementRun => ({
  ms,
  tables: [
    {
      table: 'public.orders',
      rowsRead: 0,
      rowsWritten: 0,
      rewrote: false,
      indexesBuilt: [],
      namesGone: [],
      ...t,
      ...(t.rowsRead === -1 && { rowsRead: rows }),
    },
  ],
});

/** The lint of `up` (migration 002 on BASE), weighed against what the rehearsal measured its one statement do at 10 and N rows. */
function weighed(up: string, tiny: StatementRun, full: StatementRun, complete = true) {
  const m = migrationOf(2, `-- UP\nSET lock_timeout = '2s';\n${up}\n`);
  const { findings } = lintMigrations({
    pgVersion: 14,
    describe: describeSql,
    together: true,
    context: [migrationOf(1, BASE)],
    migrations: [m],
  });
  const verdict = judge({ tiny, full, tinyRows: 10, rows: ROWS });
  const rehearsal: Rehearsal = {
    tinyRows: 10,
    rows: ROWS,
    migrations: [
      {
        version: 2,
        file: 'migrations/002_m.sql',
        seeded: ['public.orders'],
        notSeeded: [],
        statements: [
          { index: 0, line: 2, summary: 'set lock_timeout' },
          { index: 1, line: m.up.statements[1]!.line, tiny, full, ...verdict },
        ],
      },
    ],
    cleared: [],
  };
  return weigh(findings, rehearsal, new Map([[2, [false, complete]]]), { acknowledgements: new Map([[2, readAcknowledgements(m)]]) });
}

describe('rule measured-hazard (the rehearsal weighed against the rules)', () => {
  it('a rewrite the rules predicted keeps its finding, with the measurement', () => {
    const { findings, cleared } = weighed(
      'ALTER TABLE orders ALTER COLUMN amount TYPE bigint;',
      run(10, { lock: 'ACCESS EXCLUSIVE', rewrote: true, rowsRead: 20 }, 2),
      run(ROWS, { lock: 'ACCESS EXCLUSIVE', rewrote: true, rowsRead: 2 * ROWS, readersWaitedMs: 48, writersWaitedMs: 49 }, 50),
    );
    expect(cleared).toEqual([]);
    expect(findings).toMatchObject([
      {
        lint: {
          rule: 'column-type-rewrite',
          measured:
            'held ACCESS EXCLUSIVE on public.orders for 50 ms while rewriting 10,000 rows; reads waited 48 ms, writes waited 49 ms; grows with the table',
        },
      },
    ]);
  });

  it('clears a finding the measurement contradicts, with the measurement as the reason', () => {
    const { findings, cleared } = weighed(
      'ALTER TABLE orders ALTER COLUMN amount TYPE bigint;',
      run(10, { lock: 'ACCESS EXCLUSIVE' }, 2),
      run(ROWS, { lock: 'ACCESS EXCLUSIVE' }, 2),
    );
    expect(findings).toEqual([]);
    expect(cleared).toEqual([
      {
        file: 'migrations/002_m.sql',
        line: 3,
        rule: 'column-type-rewrite',
        reason: expect.stringContaining(
          'measured on seeded rows: took ACCESS EXCLUSIVE on public.orders for 2 ms; read 0 and wrote 0 of 10,000 rows',
        ),
      },
    ]);
  });

  it('keeps the finding when a table the statement touched was not seeded: the static rule stands alone', () => {
    const { findings } = weighed(
      'ALTER TABLE orders ALTER COLUMN amount TYPE bigint;',
      run(10, { lock: 'ACCESS EXCLUSIVE' }, 2),
      run(ROWS, { lock: 'ACCESS EXCLUSIVE' }, 2),
      false,
    );
    expect(findings).toMatchObject([{ lint: { rule: 'column-type-rewrite' } }]);
  });

  it("keeps an unbatched UPDATE's finding that touched few seeded rows: how many rows its WHERE matches in production, synthetic rows cannot tell", () => {
    const { findings, cleared } = weighed(
      "UPDATE orders SET status = 'x';",
      run(10, { lock: 'ROW EXCLUSIVE' }),
      run(ROWS, { lock: 'ROW EXCLUSIVE', rowsRead: 3 }),
    );
    expect(cleared).toEqual([]);
    expect(findings).toMatchObject([{ lint: { rule: 'unbatched-dml' } }]);
  });

  it('reports a measured hazard no rule predicted', () => {
    const { findings } = weighed(
      'SELECT 1;',
      run(10, { lock: 'SHARE', rowsRead: 10 }),
      run(ROWS, { lock: 'SHARE', rowsRead: ROWS, writersWaitedMs: 40, readersWaitedMs: 0 }),
    );
    expect(findings).toMatchObject([
      {
        code: 'LINT',
        severity: 'error',
        line: 3,
        lint: {
          rule: 'measured-hazard',
          measured: expect.stringMatching(
            /^held SHARE on public\.orders for 50 ms while reading 10,000 rows; reads waited 0 ms, writes waited 40 ms/,
          ),
        },
      },
    ]);
  });

  it('"-- pgshift:safe measured-hazard <why>" above the statement acknowledges a measured hazard: a warning with the reason, not a failure', () => {
    const tiny = run(10, { lock: 'SHARE', rowsRead: 10 });
    const full = run(ROWS, { lock: 'SHARE', rowsRead: ROWS, writersWaitedMs: 40, readersWaitedMs: 0 });
    const { findings } = weighed('-- pgshift:safe measured-hazard runs in the nightly window\nSELECT 1;', tiny, full);
    expect(findings).toMatchObject([
      {
        severity: 'warning',
        line: 4,
        lint: { rule: 'measured-hazard', acknowledged: 'runs in the nightly window', measured: expect.stringMatching(/^held SHARE/) },
      },
    ]);
    // Another rule's acknowledgement is not this one's.
    const other = weighed('-- pgshift:safe create-index built before the table is used\nSELECT 1;', tiny, full).findings;
    expect(other).toMatchObject([{ severity: 'error', lint: { rule: 'measured-hazard' } }]);
    expect(other[0]!.lint?.acknowledged).toBeUndefined();
  });

  it('an acknowledged rule whose hazard the measurement confirms stays acknowledged, with the measurement, and no second finding', () => {
    const { findings } = weighed(
      '-- pgshift:safe column-type-rewrite the table is small for years\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;',
      run(10, { lock: 'ACCESS EXCLUSIVE', rewrote: true, rowsRead: 20 }, 2),
      run(ROWS, { lock: 'ACCESS EXCLUSIVE', rewrote: true, rowsRead: 2 * ROWS }, 50),
    );
    expect(findings).toMatchObject([
      {
        severity: 'warning',
        lint: { rule: 'column-type-rewrite', acknowledged: 'the table is small for years', measured: expect.stringContaining('rewriting') },
      },
    ]);
  });

  it('a lock held on work that does not grow with the table is no hazard', () => {
    const verdict = judge({
      tiny: run(10, { lock: 'ACCESS EXCLUSIVE' }),
      full: run(ROWS, { lock: 'ACCESS EXCLUSIVE' }),
      tinyRows: 10,
      rows: ROWS,
    });
    expect(verdict.hazard).toBeUndefined();
  });

  it('a name gone is a hazard whatever the size, and production rows give an estimate', () => {
    const gone = judge({
      tiny: run(10, {}),
      full: run(ROWS, { lock: 'ACCESS EXCLUSIVE', namesGone: ['public.orders.total'] }),
      tinyRows: 10,
      rows: ROWS,
    });
    expect(gone.hazard).toBe('held ACCESS EXCLUSIVE on public.orders for 50 ms; public.orders.total is gone: code still using it fails');
    const big = judge({
      tiny: run(10, { lock: 'ACCESS EXCLUSIVE', rewrote: true }),
      full: run(ROWS, { lock: 'ACCESS EXCLUSIVE', rewrote: true }, 100),
      tinyRows: 10,
      rows: ROWS,
      productionRows: new Map([['public.orders', 41_000_000]]),
    });
    expect(big.hazard).toContain('≈ 6 min 50 s at its 41 M rows');
  });
});
