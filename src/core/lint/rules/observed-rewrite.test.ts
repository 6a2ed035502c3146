import { describe, expect, it } from 'vitest';
import { BASE, describeSql, migrationOf } from '../../../../test/support/rule-tester.js';
import type { Observation } from '../evidence.js';
import { lintMigrations } from '../lint.js';

/** What verify would report for `up` (migration 002 on BASE) when each statement was seen doing `seen[i]`. */
function verified(up: string, seen: readonly (readonly Observation[])[]) {
  const options = { pgVersion: 14 };
  const migrations = [migrationOf(2, `-- UP\nSET lock_timeout = '2s';\n${up}\n`)];
  const observed = new Map([[2, [[], ...seen]]]);
  const { findings } = lintMigrations({
    ...options,
    describe: describeSql,
    together: true,
    context: [migrationOf(1, BASE)],
    migrations,
    observed,
  });
  return findings.map((f) => f.problem);
}

const rewrote = (relation: string, lock?: string): Observation => ({ relation, kind: 'table', rewrote: true, ...(lock && { lock }) });

describe('rule observed-rewrite', () => {
  it('flags a rewrite of a base table that verify saw and no rule predicted, with what was seen', () => {
    const [f, ...rest] = verified('ALTER TABLE orders ALTER COLUMN status SET DEFAULT 1;', [
      [rewrote('public.orders', 'ACCESS EXCLUSIVE')],
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'error',
      line: 3,
      lint: {
        rule: 'observed-rewrite',
        family: 'rewrite',
        relation: 'public.orders',
        observed: 'took ACCESS EXCLUSIVE on public.orders and rewrote it',
      },
    });
    expect(f!.message).toBe('This statement rewrote public.orders while holding ACCESS EXCLUSIVE: reads and writes wait until it is done.');
  });

  it('lets through a rewrite a rule of the rewrite family predicted (that finding gets what was seen), and a rewritten index', () => {
    const [f, ...rest] = verified('ALTER TABLE orders ALTER COLUMN amount TYPE bigint;', [[rewrote('public.orders', 'ACCESS EXCLUSIVE')]]);
    expect(rest).toEqual([]);
    expect(f!.lint).toMatchObject({ rule: 'column-type-rewrite', observed: 'took ACCESS EXCLUSIVE on public.orders and rewrote it' });
    const index: Observation = { relation: 'public.orders_created_at_idx', kind: 'index', rewrote: true };
    expect(verified('ALTER TABLE orders ALTER COLUMN status SET DEFAULT 1;', [[index]])).toEqual([]);
  });
});
