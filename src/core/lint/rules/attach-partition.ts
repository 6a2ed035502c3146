/**
 * ALTER TABLE ... ATTACH PARTITION: PostgreSQL reads every row of the table
 * it attaches, to prove the rows fit the partition's bounds, while holding
 * ACCESS EXCLUSIVE on it (measured: a scan of all rows under
 * AccessExclusiveLock; the parent only gets SHARE UPDATE EXCLUSIVE). A
 * valid CHECK constraint that implies the bounds spares the scan.
 */
import { readableName } from '../../identifier.js';
import { file, migration } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface AttachPartitionHazard extends HazardBase<'attach-partition'> {
  readonly table: string;
  readonly parent: string;
}

export const attachPartition: Rule<AttachPartitionHazard> = {
  meta: {
    name: 'attach-partition',
    family: 'scan-under-lock',
    level: 'warning',
    summary: 'ALTER TABLE ... ATTACH PARTITION of a table with rows, without a CHECK that proves its bounds',
    docs: ruleDocs('attach-partition'),
  },
  check: {
    alter: {
      'attach-partition': (parent, a) => [{ rule: 'attach-partition', ...partOf(parent, a), table: a.partition, parent }],
    },
  },
  advise: ({ table, parent }) => {
    const t = readableName(table);
    return {
      message: `Attaching ${t} to ${readableName(parent)} reads every row of ${t} while holding ACCESS EXCLUSIVE on it: its reads and writes wait.`,
      instead:
        'first add a CHECK constraint that matches the partition bounds, NOT VALID, and VALIDATE it in a later migration; ATTACH then skips the scan, and the CHECK can be dropped after.',
      fix:
        file(
          1,
          'the bounds as a CHECK, not yet checked',
          migration(`ALTER TABLE ${t} ADD CONSTRAINT ${readableName(`${table.split('.').pop()}_bounds`)} CHECK (...) NOT VALID;`),
        ) +
        '\n' +
        file(
          2,
          'check the rows, reads and writes going on',
          migration(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${readableName(`${table.split('.').pop()}_bounds`)};`),
        ) +
        '\n' +
        file(3, 'attach: no scan', migration(`ALTER TABLE ${readableName(parent)} ATTACH PARTITION ${t} FOR VALUES ...;`)),
    };
  },
};
