/** ALTER TYPE ... ADD VALUE in a transaction block: before PostgreSQL 12 it is refused there, so the migration fails. */
import { migration } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export type EnumValueInTransactionHazard = HazardBase<'enum-value-in-transaction'>;

export const enumValueInTransaction: Rule<EnumValueInTransactionHazard> = {
  meta: {
    name: 'enum-value-in-transaction',
    family: 'other',
    level: 'error',
    summary: 'ALTER TYPE ... ADD VALUE in a transaction before PostgreSQL 12',
    docs: ruleDocs('enum-value-in-transaction'),
  },
  check: {
    statement: {
      'add-enum-value': (_action, { pgVersion, inTransaction }) =>
        pgVersion < 12 && inTransaction ? [{ rule: 'enum-value-in-transaction' }] : [],
    },
  },
  advise: (_hazard, { sql }) => ({
    message: 'ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails.',
    instead: 'put it in a no-transaction migration of its own.',
    fix: migration(`${sql};`, undefined, true),
  }),
};
