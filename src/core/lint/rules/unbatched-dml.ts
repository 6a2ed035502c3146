/**
 * UPDATE or DELETE of many rows of a table in use, in one transaction: the
 * row locks are held until the migration commits (blocking writers to those
 * rows), and the table bloats at once. A WHERE on the key, a small table
 * (from the catalog's estimate) or one range batch per committed
 * transaction is fine; a second range of the same table in one transaction
 * adds up.
 */
import { readableName } from '../../identifier.js';
import { batchFix } from '../advice.js';
import type { Action } from '../action.js';
import { ruleDocs, type HazardBase, type OfKind, type Rule, type StatementContext } from '../rule.js';

type Dml = OfKind<Action, 'update' | 'delete'>;

export interface UnbatchedDmlHazard extends HazardBase<'unbatched-dml'> {
  readonly table: string;
  readonly dml: Dml;
}

export const unbatchedDml: Rule<UnbatchedDmlHazard> = {
  meta: {
    name: 'unbatched-dml',
    family: 'unbatched-dml',
    level: 'warning',
    summary: 'UPDATE or DELETE of many rows in one transaction',
    docs: ruleDocs('unbatched-dml'),
  },
  create: () => {
    /** Range batches seen per table in the current transaction. */
    const batches = new Map<string, number>();
    const hazard = (dml: Dml, ctx: StatementContext): UnbatchedDmlHazard[] =>
      unbatched(dml, ctx, batches) ? [{ rule: 'unbatched-dml', table: dml.table, dml }] : [];
    return { statement: { update: hazard, delete: hazard } };
  },
  advise: ({ table, dml }, { key }) => {
    const t = readableName(table);
    const change = dml.kind === 'update' ? `UPDATE ${t} ${dml.setText.replace(/^(ONLY\s+)?/i, '').trim()}` : `DELETE FROM ${t}`;
    return {
      message: `This ${dml.kind === 'delete' ? 'DELETE' : 'UPDATE'} of ${t} may change many rows in one transaction: it holds their row locks until the migration commits (blocking writers to them), and bloats the table at once.`,
      instead: 'change the rows in batches that commit one by one, in a no-transaction migration.',
      fix: batchFix(t, key, change, dml.where?.text),
    };
  },
};

/** An UPDATE or DELETE that may touch many rows of a pre-existing table in one transaction. */
function unbatched(action: Dml, ctx: StatementContext, batches: Map<string, number>): boolean {
  const where = action.where;
  if (!where) return true;
  const facts = ctx.model.table(action.table);
  if (facts?.rows !== undefined && facts.rows < 10_000) return false;
  if (where.pointColumns.length > 0) {
    const keys = facts?.primaryKey.length ? facts.primaryKey : ['id'];
    if (where.pointColumns.some((c) => keys.includes(c))) return false;
    // Equal to constants on every column of a unique key: one row per value.
    if ((facts?.uniqueKeys ?? []).some((key) => key.length > 0 && key.every((c) => where.pointColumns.includes(c)))) return false;
  }
  if (where.range) {
    if (!ctx.inTransaction) return false;
    const seen = (batches.get(action.table) ?? 0) + 1;
    batches.set(action.table, seen);
    return seen > 1;
  }
  return true;
}
