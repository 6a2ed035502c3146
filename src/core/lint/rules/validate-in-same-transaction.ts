/**
 * VALIDATE CONSTRAINT in the transaction that added the constraint NOT
 * VALID: the ADD's ACCESS EXCLUSIVE lock is held until commit, so the scan
 * that VALIDATE would run under SHARE UPDATE EXCLUSIVE runs under it.
 */
import { readableName } from '../../identifier.js';
import { migration } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface ValidateInSameTransactionHazard extends HazardBase<'validate-in-same-transaction'> {
  readonly table: string;
  readonly constraint: string;
}

export const validateInSameTransaction: Rule<ValidateInSameTransactionHazard> = {
  meta: {
    name: 'validate-in-same-transaction',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'VALIDATE CONSTRAINT in the transaction that added it NOT VALID',
    docs: ruleDocs('validate-in-same-transaction'),
  },
  check: {
    alter: {
      'validate-constraint': (table, a, { model, inTransaction }) =>
        inTransaction && model.pendingCheck(table, a.name)
          ? [{ rule: 'validate-in-same-transaction', ...partOf(table, a), constraint: a.name }]
          : [],
    },
  },
  advise: ({ table, constraint }) => {
    const t = readableName(table);
    return {
      message: `Validating ${readableName(constraint)} in the transaction that added it keeps the ACCESS EXCLUSIVE lock the ADD took on ${t} through the whole check: reads and writes wait.`,
      instead: 'move the VALIDATE into a migration of its own, so that it runs in its own transaction with only SHARE UPDATE EXCLUSIVE.',
      fix: migration(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${readableName(constraint)};`),
    };
  },
};
