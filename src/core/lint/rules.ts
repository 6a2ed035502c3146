/**
 * The lint rules: each names one way a deploy-time statement locks or
 * breaks production, with its hazard family and default level. `check`
 * turns one statement (its parsed action and the schema it runs on) into
 * the hazards it has; the words and the safe rewrite are in advice.ts.
 */
import { typeChange } from './column-types.js';
import type { SchemaModel } from './model.js';
import { blocksWrites, lockRank, type Action, type AlterAction, type LockMode } from './parse.js';

export type Family = 'rewrite' | 'scan-under-lock' | 'index-not-concurrent' | 'destructive' | 'no-lock-timeout' | 'unbatched-dml' | 'other';
export type Level = 'error' | 'warning';

export interface RuleInfo {
  readonly family: Family;
  readonly level: Level;
  /** What it catches, for `pgshift lint --rules` and the README. */
  readonly summary: string;
}

export const RULES = {
  'volatile-default': {
    family: 'rewrite',
    level: 'error',
    summary: 'ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid(), nextval())',
  },
  'add-column-default': { family: 'rewrite', level: 'error', summary: 'ADD COLUMN with any DEFAULT before PostgreSQL 11' },
  'add-auto-increment-column': { family: 'rewrite', level: 'error', summary: 'ADD COLUMN serial, bigserial or GENERATED ... AS IDENTITY' },
  'add-stored-generated-column': { family: 'rewrite', level: 'error', summary: 'ADD COLUMN ... GENERATED ALWAYS AS (...) STORED' },
  'column-type-rewrite': {
    family: 'rewrite',
    level: 'error',
    summary: 'ALTER COLUMN TYPE to a type that is not binary-compatible, or with USING',
  },
  'set-logged': { family: 'rewrite', level: 'error', summary: 'SET LOGGED / SET UNLOGGED' },
  'set-tablespace': { family: 'rewrite', level: 'error', summary: 'ALTER TABLE ... SET TABLESPACE' },
  'vacuum-full': { family: 'rewrite', level: 'error', summary: 'VACUUM FULL' },
  cluster: { family: 'rewrite', level: 'error', summary: 'CLUSTER' },
  'set-not-null': {
    family: 'scan-under-lock',
    level: 'error',
    summary: 'SET NOT NULL without a validated CHECK (col IS NOT NULL) (any, before PostgreSQL 12)',
  },
  'add-check': { family: 'scan-under-lock', level: 'error', summary: 'ADD CHECK without NOT VALID' },
  'add-foreign-key': { family: 'scan-under-lock', level: 'error', summary: 'ADD FOREIGN KEY without NOT VALID' },
  'validate-in-same-transaction': {
    family: 'scan-under-lock',
    level: 'error',
    summary: 'VALIDATE CONSTRAINT in the transaction that added it NOT VALID',
  },
  'primary-key-nullable': { family: 'scan-under-lock', level: 'error', summary: 'PRIMARY KEY USING INDEX on columns that may hold NULL' },
  'create-index': { family: 'index-not-concurrent', level: 'error', summary: 'CREATE INDEX without CONCURRENTLY' },
  'drop-index': { family: 'index-not-concurrent', level: 'error', summary: 'DROP INDEX without CONCURRENTLY' },
  reindex: { family: 'index-not-concurrent', level: 'error', summary: 'REINDEX without CONCURRENTLY' },
  'add-unique-constraint': {
    family: 'index-not-concurrent',
    level: 'error',
    summary: 'ADD UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX',
  },
  'drop-table': { family: 'destructive', level: 'warning', summary: 'DROP TABLE' },
  'drop-column': { family: 'destructive', level: 'warning', summary: 'DROP COLUMN' },
  'rename-table': { family: 'destructive', level: 'error', summary: 'ALTER TABLE ... RENAME TO' },
  'rename-column': { family: 'destructive', level: 'error', summary: 'RENAME COLUMN' },
  'narrow-column-type': { family: 'destructive', level: 'error', summary: 'ALTER COLUMN TYPE to a type that holds less' },
  truncate: { family: 'destructive', level: 'warning', summary: 'TRUNCATE' },
  'add-required-column': {
    family: 'other',
    level: 'error',
    summary: 'ADD COLUMN ... NOT NULL without a DEFAULT: fails on a table with rows',
  },
  'lock-timeout': {
    family: 'no-lock-timeout',
    level: 'warning',
    summary: 'a lock that blocks writes taken with no lock_timeout set before it',
  },
  'unbatched-dml': { family: 'unbatched-dml', level: 'warning', summary: 'UPDATE or DELETE of many rows in one transaction' },
  'enum-value-in-transaction': {
    family: 'other',
    level: 'error',
    summary: 'ALTER TYPE ... ADD VALUE in a transaction before PostgreSQL 12',
  },
  'not-analysed': { family: 'other', level: 'warning', summary: 'a DO block that changes tables: not analysed, observed by verify' },
  'observed-rewrite': { family: 'rewrite', level: 'error', summary: 'verify saw a statement rewrite a table that no rule predicted' },
} as const satisfies Record<string, RuleInfo>;

export type RuleName = keyof typeof RULES;
export const RULE_NAMES = Object.keys(RULES) as RuleName[];
export const isRuleName = (name: string): name is RuleName => Object.hasOwn(RULES, name);

/** One hazard of one statement, before words and levels. */
export interface Hazard {
  readonly rule: RuleName;
  readonly table?: string;
  /** The ALTER TABLE action it is about, for the advice. */
  readonly action?: AlterAction;
  /** Facts the advice uses: the old type, the lock mode. */
  readonly detail?: Readonly<Record<string, string>>;
  /** Why it is not a hazard after all, where the context clears it (reported as cleared, not as a finding). */
  readonly cleared?: string;
}

export interface StatementContext {
  readonly model: SchemaModel;
  readonly pgVersion: number;
  readonly inTransaction: boolean;
  /** UPDATE/DELETE batches seen per table in the current transaction. */
  readonly batches: Map<string, number>;
}

const VOLATILE = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'nextval',
  'uuidv4',
  'uuidv7',
  'setseed',
  'txid_current',
  'pg_current_xact_id',
]);

/**
 * The hazards of one statement, tables created in this deploy included: the
 * caller clears those (nobody else uses a new table yet). The lock-timeout
 * rule is the caller's too: it looks across statements.
 */
export function check(action: Action, ctx: StatementContext): Hazard[] {
  const { model } = ctx;
  switch (action.kind) {
    case 'alter-table':
      return action.actions.flatMap((a) => alterHazards(action.table, a, ctx));
    case 'create-index':
      return action.concurrently ? [] : [{ rule: 'create-index', table: action.table }];
    case 'drop-index': {
      if (action.concurrently) return [];
      const tables = action.names.map((n) => model.indexTable(n));
      const table = tables.includes(undefined) ? undefined : (tables.find((t) => !model.isNew(t!)) ?? tables[0]);
      return [table === undefined ? { rule: 'drop-index' } : { rule: 'drop-index', table }];
    }
    case 'reindex': {
      if (action.concurrently) return [];
      const table = action.target === 'index' ? model.indexTable(action.name) : action.target === 'table' ? action.name : undefined;
      return [{ rule: 'reindex', ...(table && { table }) }];
    }
    case 'drop-table':
      return action.tables.map((table) => ({ rule: 'drop-table', table }));
    case 'truncate':
    case 'vacuum-full': {
      const rule = action.kind === 'truncate' ? 'truncate' : 'vacuum-full';
      const table = action.tables.find((t) => !model.isNew(t)) ?? action.tables[0];
      return [{ rule, ...(table && { table }) }];
    }
    case 'cluster':
      return [{ rule: 'cluster', ...(action.table && { table: action.table }) }];
    case 'update':
    case 'delete':
      return unbatched(action, ctx) ? [{ rule: 'unbatched-dml', table: action.table }] : [];
    case 'add-enum-value':
      return ctx.pgVersion < 12 && ctx.inTransaction ? [{ rule: 'enum-value-in-transaction' }] : [];
    case 'do':
      return /\b(ALTER|UPDATE|DELETE|TRUNCATE|REINDEX|VACUUM|CLUSTER|LOCK|DROP|CREATE\s+(UNIQUE\s+)?INDEX)\b/i.test(action.body)
        ? [{ rule: 'not-analysed' }]
        : [];
    default:
      return [];
  }
}

function alterHazards(table: string, a: AlterAction, ctx: StatementContext): Hazard[] {
  const { model, pgVersion } = ctx;
  const one = (rule: RuleName, detail?: Record<string, string>): Hazard[] => [{ rule, table, action: a, ...(detail && { detail }) }];
  switch (a.kind) {
    case 'add-column': {
      const col = a.column;
      if (col.generatedStored) return one('add-stored-generated-column');
      if (col.identity) return one('add-auto-increment-column');
      if (col.default === undefined || /^null$/i.test(col.default)) return col.notNull ? one('add-required-column') : [];
      if (isVolatile(col.default)) return one('volatile-default');
      return pgVersion < 11 ? one('add-column-default') : [];
    }
    case 'alter-type': {
      const from = model.column(table, a.column)?.type || undefined;
      const change = typeChange(from, a.type, a.using);
      const detail = from ? { from, to: a.type } : { to: a.type };
      if (change.narrows) return one('narrow-column-type', detail);
      if (change.rewrites) return one('column-type-rewrite', detail);
      return [
        { rule: 'column-type-rewrite', table, cleared: `${from ?? 'the old type'} to ${a.type} is binary-compatible: no rewrite, no scan` },
      ];
    }
    case 'set-not-null':
      return pgVersion >= 12 && model.provesNotNull(table, a.column)
        ? [{ rule: 'set-not-null', table, cleared: 'a validated CHECK proves the column not null: no scan' }]
        : one('set-not-null');
    case 'add-constraint': {
      const k = a.constraint;
      if ((k.type === 'unique' || k.type === 'primary-key') && k.usingIndex) {
        if (k.type !== 'primary-key') return [];
        const columns = model.indexColumns(k.usingIndex);
        const nullable =
          columns === undefined
            ? []
            : columns.filter((c) => !model.column(table, c)?.notNull && !(pgVersion >= 12 && model.provesNotNull(table, c)));
        return nullable.length > 0 ? one('primary-key-nullable', { columns: nullable.join(', ') }) : [];
      }
      if (k.type === 'unique' || k.type === 'primary-key' || k.type === 'exclude') return one('add-unique-constraint');
      const rule = k.type === 'check' ? 'add-check' : 'add-foreign-key';
      return k.notValid ? [{ rule, table, cleared: 'NOT VALID: old rows are not checked' }] : one(rule);
    }
    case 'validate-constraint':
      return ctx.inTransaction && model.pendingCheck(table, a.name) ? one('validate-in-same-transaction') : [];
    case 'set-logged':
    case 'set-unlogged':
      return one('set-logged');
    case 'set-tablespace':
      return one('set-tablespace');
    case 'drop-column':
      return one('drop-column');
    case 'rename-column':
      return one('rename-column');
    case 'rename-table':
      return one('rename-table');
    default:
      return [];
  }
}

/** A default calls a volatile function: every row gets its own value, so the table is rewritten. */
export function isVolatile(expression: string): boolean {
  for (const m of expression.matchAll(/([A-Za-z_][\w$]*)\s*\(/g)) if (VOLATILE.has(m[1]!.toLowerCase())) return true;
  return false;
}

/** An UPDATE or DELETE that may touch many rows of a pre-existing table in one transaction. */
function unbatched(action: Extract<Action, { kind: 'update' | 'delete' }>, ctx: StatementContext): boolean {
  const where = action.where;
  if (!where) return true;
  const facts = ctx.model.table(action.table);
  if (facts?.rows !== undefined && facts.rows < 10_000) return false;
  if (where.pointColumns.length > 0) {
    const keys = facts?.primaryKey.length ? facts.primaryKey : ['id'];
    if (where.pointColumns.some((c) => keys.includes(c))) return false;
  }
  if (where.range) {
    if (!ctx.inTransaction) return false;
    const seen = (ctx.batches.get(action.table) ?? 0) + 1;
    ctx.batches.set(action.table, seen);
    return seen > 1;
  }
  return true;
}

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
