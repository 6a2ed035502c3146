/** CREATE INDEX without CONCURRENTLY: PostgreSQL holds SHARE on the table for the whole build, so writes wait. */
import { readableName } from '../../identifier.js';
import { migration } from '../advice.js';
import type { Action } from '../action.js';
import { ruleDocs, type HazardBase, type OfKind, type Rule } from '../rule.js';

export interface CreateIndexHazard extends HazardBase<'create-index'> {
  readonly table: string;
  readonly index: OfKind<Action, 'create-index'>;
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
      'create-index': (action) => (action.concurrently ? [] : [{ rule: 'create-index', table: action.table, index: action }]),
    },
  },
  advise: ({ table, index }, { sql }) => {
    const concurrent = `${sql.slice(0, index.insertAt)} CONCURRENTLY${sql.slice(index.insertAt)};`;
    return {
      message: `Creating ${index.name ? `index ${readableName(index.name)}` : 'an index'} on ${readableName(table)} without CONCURRENTLY holds SHARE on the table for the whole build: writes wait.`,
      instead: 'build it CONCURRENTLY, in a migration of its own marked no-transaction (CONCURRENTLY cannot run in a transaction).',
      fix: migration(concurrent, index.name ? `DROP INDEX CONCURRENTLY ${readableName(index.name)};` : undefined, true),
    };
  },
};
