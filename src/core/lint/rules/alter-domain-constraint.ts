/**
 * ALTER DOMAIN ... ADD CONSTRAINT (without NOT VALID) or SET NOT NULL:
 * PostgreSQL checks the value of every column of that domain in every table
 * while holding SHARE on each of them, so writes to them wait (measured: a
 * scan of every row under ShareLock). The tables come from the schema the
 * migration runs on: a domain no known column uses checks nothing.
 */
import { readableName } from '../../identifier.js';
import { file, migration } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface AlterDomainConstraintHazard extends HazardBase<'alter-domain-constraint'> {
  readonly table: string;
  readonly domain: string;
}

export const alterDomainConstraint: Rule<AlterDomainConstraintHazard> = {
  meta: {
    name: 'alter-domain-constraint',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID, or SET NOT NULL, on a domain tables use',
    docs: ruleDocs('alter-domain-constraint'),
  },
  check: {
    statement: {
      'alter-domain': (action, { model }) => {
        if (!action.checksValues) return [];
        const tables = model.tablesUsingType(action.domain);
        const table = tables.find((t) => !model.isNew(t)) ?? tables[0];
        return table ? [{ rule: 'alter-domain-constraint', table, domain: action.domain }] : [];
      },
    },
  },
  advise: ({ table, domain }) => {
    const d = readableName(domain);
    return {
      message: `Changing domain ${d} checks every value of it in ${readableName(table)} (and every other table that uses it) while holding SHARE on them: writes wait.`,
      instead:
        'add the constraint NOT VALID (new values are checked at once), then VALIDATE CONSTRAINT in a later migration at a quiet time: it reads the rows again.',
      fix:
        file(1, 'the constraint, not yet checked', migration(`ALTER DOMAIN ${d} ADD CONSTRAINT ... NOT VALID;`)) +
        '\n' +
        file(2, 'check the stored values', migration(`ALTER DOMAIN ${d} VALIDATE CONSTRAINT ...;`)),
    };
  },
};
