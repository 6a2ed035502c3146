/** CREATE INDEX without CONCURRENTLY: PostgreSQL holds SHARE on the table for the whole build, so writes wait. */
import { readableName } from '../../identifier.js';
import { file, migration } from '../advice.js';
import type { Action } from '../action.js';
import { ruleDocs, type Advice, type HazardBase, type OfKind, type Rule } from '../rule.js';

export interface CreateIndexHazard extends HazardBase<'create-index'> {
  readonly table: string;
  readonly index: OfKind<Action, 'create-index'>;
  /** On a partitioned table, which CONCURRENTLY cannot build on. */
  readonly partitioned?: boolean;
}

export const createIndex: Rule<CreateIndexHazard> = {
  meta: {
    name: 'create-index',
    family: 'index-not-concurrent',
    level: 'error',
    summary: 'CREATE INDEX without CONCURRENTLY',
    docs: ruleDocs('create-index'),
  },
  check: {
    statement: {
      'create-index': (action, { model }) => {
        if (action.concurrently) return [];
        const hazard = { rule: 'create-index' as const, table: action.table, index: action };
        if (action.only && model.isPartitioned(action.table))
          return [{ ...hazard, cleared: 'ON ONLY a partitioned table: an index of the parent alone, built on no partition' }];
        if (action.ifNotExists && action.name !== undefined && model.indexTable(action.name) !== undefined)
          return [{ ...hazard, cleared: 'IF NOT EXISTS, and the index exists: nothing is built' }];
        return [{ ...hazard, partitioned: model.isPartitioned(action.table) }];
      },
    },
  },
  advise: ({ table, index, partitioned }, { sql }) => {
    if (partitioned) return partitionedAdvice(table, index.name);
    const concurrent = `${sql.slice(0, index.insertAt)} CONCURRENTLY${sql.slice(index.insertAt)};`;
    return {
      message: `Creating ${index.name ? `index ${readableName(index.name)}` : 'an index'} on ${readableName(table)} without CONCURRENTLY holds SHARE on the table for the whole build: writes wait.`,
      instead: 'build it CONCURRENTLY, in a migration of its own marked no-transaction (CONCURRENTLY cannot run in a transaction).',
      fix: migration(concurrent, index.name ? `DROP INDEX CONCURRENTLY ${readableName(index.name)};` : undefined, true),
    };
  },
};

/** PostgreSQL cannot build an index CONCURRENTLY on a partitioned table: the parent's ON ONLY, each partition's CONCURRENTLY, then ATTACH. */
function partitionedAdvice(table: string, name: string | undefined): Advice {
  const t = readableName(table);
  const i = readableName(name ?? `${table.split('.').pop()}_idx`);
  return {
    message: `Creating ${name ? `index ${i}` : 'an index'} on partitioned table ${t} builds it on every partition, holding SHARE on each for the whole build: writes wait.`,
    instead:
      "create it ON ONLY the parent (instant, left invalid), build each partition's index CONCURRENTLY in a no-transaction migration, then ALTER INDEX ... ATTACH PARTITION each: the parent index becomes valid once all are attached.",
    fix: [
      file(1, 'the parent index alone', migration(`CREATE INDEX ${i} ON ONLY ${t} (...);`, `DROP INDEX ${i};`)),
      file(2, 'each partition, online', migration(`CREATE INDEX CONCURRENTLY <partition>_idx ON <partition> (...);`, undefined, true)),
      file(3, 'attach them', migration(`ALTER INDEX ${i} ATTACH PARTITION <partition>_idx;`)),
    ].join('\n'),
  };
}
