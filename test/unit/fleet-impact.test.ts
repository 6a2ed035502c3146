import { describe, expect, it } from 'vitest';
import { impactRequest, summariseImpact, type TargetImpact } from '../../src/core/fleet-impact.js';
import { problem, type Problem } from '../../src/core/problem.js';

const finding = (family: string, relation: string | undefined): Problem =>
  problem('LINT', 'x', { lint: { rule: 'column-type-rewrite', family: family as never, ...(relation !== undefined && { relation }) } });

describe("verify's request to the fleet", () => {
  it('takes the tables of the rewrite, scan and index findings, each part folded as PostgreSQL folds it, a rewrite over a scan', () => {
    const request = impactRequest(
      [{ version: 7 }, { version: 8 }],
      [
        finding('index-not-concurrent', 'Orders'),
        finding('rewrite', 'orders'),
        finding('scan-under-lock', 'sales."Big"'),
        finding('destructive', 'users'),
        finding('no-lock-timeout', undefined),
        finding('rewrite', 'a.b.c'),
      ],
    );
    expect(request).toEqual({
      versions: [7, 8],
      tables: [
        { name: 'orders', work: 'rewrite' },
        { schema: 'sales', name: 'Big', work: 'scan' },
      ],
    });
  });

  it('counts the answers and names the largest tables of the targets it would touch only, the most rows first', () => {
    const t = (id: string, state: TargetImpact['state'], rows: number[]): TargetImpact => ({
      id,
      state,
      pending: state === 'touched' ? [2] : [],
      tables: rows.map((r, i) => ({ table: `public.t${i}`, work: 'scan', rows: r, bytes: r * 10 })),
    });
    const summary = summariseImpact(
      [t('a', 'touched', [10, -1]), t('b', 'applied', [1e9]), t('c', 'touched', [500]), t('d', 'unreachable', []), t('e', 'failed', [])],
      [],
    );
    expect(summary).toMatchObject({ total: 5, touched: 2, applied: 1, unreachable: 1, failed: 1 });
    expect(summary.largest.map((x) => [x.id, x.table, x.rows])).toEqual([
      ['c', 'public.t0', 500],
      ['a', 'public.t0', 10],
      ['a', 'public.t1', -1],
    ]);
  });
});
