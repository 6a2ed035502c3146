/**
 * A lock that blocks writes, taken with no lock_timeout set: while the
 * statement waits behind a long query for its lock, every other query on
 * the table queues behind it. Looked for once per migration, on the first
 * such statement that has no finding of its own (the safe way of one that
 * has changes its lock anyway); a lock_timeout set earlier in the migration,
 * or the one pgshift runs it with, is enough.
 */
import { readableName } from '../../identifier.js';
import { blockingLock } from '../locks.js';
import type { LockMode } from '../action.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface LockTimeoutHazard extends HazardBase<'lock-timeout'> {
  readonly table: string;
  readonly mode: LockMode;
}

export const lockTimeout: Rule<LockTimeoutHazard> = {
  meta: {
    name: 'lock-timeout',
    family: 'no-lock-timeout',
    level: 'warning',
    summary: 'a lock that blocks writes taken with no lock_timeout set before it',
    docs: ruleDocs('lock-timeout'),
  },
  create: (scope) => {
    let timeoutSet = scope.lockTimeoutMs > 0;
    let reported = false;
    return {
      after: (action, { model }, others) => {
        const lock = !timeoutSet && !reported && others === 0 ? blockingLock(action, model) : undefined;
        if (lock) reported = true;
        if (action.kind === 'set' && action.name === 'lock_timeout') timeoutSet = !/^(0+(ms|s)?|default)$/i.test(action.value.trim());
        return lock ? [{ rule: 'lock-timeout', table: lock.table, mode: lock.mode }] : [];
      },
    };
  },
  advise: ({ table, mode }) => {
    const t = readableName(table);
    return {
      message: `This statement takes ${mode} on ${t} with no lock_timeout set: while it waits behind a long query, every other query on ${t} waits behind it.`,
      instead:
        'set a lock_timeout at the top of the migration (and retry the deploy if it runs out), or set the lock timeout pgshift runs with.',
      fix: `SET lock_timeout = '5s';`,
    };
  },
};
