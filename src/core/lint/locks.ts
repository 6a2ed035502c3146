/**
 * The table locks a statement takes, as PostgreSQL documents them for each
 * command (explicit-locking.html and each command's page): what the
 * lock-timeout rule weighs.
 */
import type { SchemaModel } from './model.js';
import { blocksWrites, lockRank, type Action, type AlterAction, type LockMode } from './action.js';

/** The strongest lock a statement takes on each table it names, as PostgreSQL documents it. */
export function locksOf(action: Action): { table: string; mode: LockMode }[] {
  switch (action.kind) {
    case 'alter-table': {
      let mode: LockMode = 'ACCESS SHARE';
      const extra: { table: string; mode: LockMode }[] = [];
      for (const a of action.actions) {
        const m = alterLock(a);
        if (lockRank(m) > lockRank(mode)) mode = m;
        if (a.kind === 'add-constraint' && a.constraint.references)
          extra.push({ table: a.constraint.references, mode: 'SHARE ROW EXCLUSIVE' });
        if (a.kind === 'add-column' && a.column.references) extra.push({ table: a.column.references, mode: 'SHARE ROW EXCLUSIVE' });
        if (a.kind === 'attach-partition') extra.push({ table: a.partition, mode: 'ACCESS EXCLUSIVE' });
      }
      return [{ table: action.table, mode }, ...extra];
    }
    case 'create-table':
      return action.references.map((table) => ({ table, mode: 'SHARE ROW EXCLUSIVE' }));
    case 'create-index':
      return [{ table: action.table, mode: action.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE' }];
    case 'reindex':
      return action.concurrently ? [] : [{ table: action.name, mode: 'SHARE' }];
    case 'drop-index':
      return action.concurrently ? [] : action.names.map((table) => ({ table, mode: 'ACCESS EXCLUSIVE' }));
    case 'drop-table':
    case 'truncate':
    case 'vacuum-full':
      return action.tables.map((table) => ({ table, mode: 'ACCESS EXCLUSIVE' }));
    case 'cluster':
      return action.table ? [{ table: action.table, mode: 'ACCESS EXCLUSIVE' }] : [];
    case 'refresh-view':
      return [{ table: action.name, mode: action.concurrently ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE' }];
    case 'create-trigger':
      return [{ table: action.table, mode: 'SHARE ROW EXCLUSIVE' }];
    case 'lock':
      return action.tables.map((table) => ({ table, mode: action.mode }));
    case 'other':
      return [...action.tables];
    default:
      return [];
  }
}

function alterLock(a: AlterAction): LockMode {
  switch (a.kind) {
    case 'other':
      return a.lock;
    case 'validate-constraint':
    case 'attach-partition':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'add-constraint':
      return a.constraint.type === 'foreign-key' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

/** The first lock a statement takes that blocks writes on a table from before this deploy. */
export function blockingLock(action: Action, model: SchemaModel): { table: string; mode: LockMode } | undefined {
  return locksOf(action).find((l) => blocksWrites(l.mode) && l.table !== '' && !model.isNew(model.indexTable(l.table) ?? l.table));
}
