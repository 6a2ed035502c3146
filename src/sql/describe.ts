/**
 * What a statement does, for the lint (core/lint/action.ts), read from its
 * node as PostgreSQL's own parser builds it: every statement PostgreSQL
 * takes gets one, and the statements inside DO blocks and routines are read
 * by its PL/pgSQL parser (describe-routine.ts).
 */
import type { DeleteStmt, Node, SelectStmt, UpdateStmt } from 'libpg-query';
import { LOCK_MODES, type Action, type Describe, type LockMode, type Where } from '../core/lint/action.js';
import { as, constantText, dotted, relationName, StatementText, strings, unwrap } from './ast.js';
import { alterTable, createTable } from './describe-table.js';
import { callAction, createRoutine, doBlock, type Reader } from './describe-routine.js';
import type { SqlParser } from './parser.js';

/** The lint's reader of statements, on PostgreSQL's parser. A statement it cannot parse is `other`. */
export function describer(parser: SqlParser): Describe {
  const read: Reader = (sql, depth) => {
    const outcome = parser.parse(sql);
    const node = outcome.statements?.[0]?.node;
    return node ? describeNode(node, new StatementText(sql), { parser, read, readNode, depth }) : OTHER;
  };
  const readNode = (node: Node, text: StatementText): Action => describeNode(node, text, { parser, read, readNode, depth: 1 });
  return (sql) => read(sql, 0);
}

const OTHER: Action = { kind: 'other', tables: [] };

export interface DescribeContext {
  readonly parser: SqlParser;
  /** Reads a statement inside a body (`depth` bodies deep). */
  readonly read: Reader;
  readonly readNode: (node: Node, text: StatementText) => Action;
  readonly depth: number;
}

function describeNode(node: Node, text: StatementText, ctx: DescribeContext): Action {
  const [tag, fields] = unwrap(node);
  switch (tag) {
    case 'CreateStmt':
      return createTable(as(node, 'CreateStmt')!, text);
    case 'CreateTableAsStmt':
      return as(node, 'CreateTableAsStmt')?.objtype === 'OBJECT_TABLE'
        ? filled(relationName(as(node, 'CreateTableAsStmt')?.into?.rel))
        : OTHER;
    case 'AlterTableStmt': {
      const stmt = as(node, 'AlterTableStmt')!;
      return stmt.objtype === 'OBJECT_TABLE' ? alterTable(stmt, text) : OTHER;
    }
    case 'RenameStmt':
      return rename(as(node, 'RenameStmt')!);
    case 'IndexStmt': {
      const stmt = as(node, 'IndexStmt')!;
      const index = text.findWord('INDEX');
      return {
        kind: 'create-index',
        table: relationName(stmt.relation),
        concurrently: stmt.concurrent === true,
        unique: stmt.unique === true,
        columns: (stmt.indexParams ?? []).flatMap((p) => {
          const name = as(p, 'IndexElem')?.name;
          return name ? [name] : [];
        }),
        insertAt: text.tokens[index]?.end ?? 0,
        ...(stmt.idxname && { name: stmt.idxname }),
      };
    }
    case 'DropStmt':
      return drop(as(node, 'DropStmt')!);
    case 'TruncateStmt':
      return { kind: 'truncate', tables: relations(as(node, 'TruncateStmt')?.relations) };
    case 'ReindexStmt': {
      const stmt = as(node, 'ReindexStmt')!;
      const target = (stmt.kind ?? '').replace('REINDEX_OBJECT_', '').toLowerCase();
      return {
        kind: 'reindex',
        target,
        name: stmt.relation ? relationName(stmt.relation) : (stmt.name ?? ''),
        concurrently: option(stmt.params, 'concurrently'),
      };
    }
    case 'VacuumStmt': {
      const stmt = as(node, 'VacuumStmt')!;
      if (!stmt.is_vacuumcmd || !option(stmt.options, 'full')) return OTHER;
      return { kind: 'vacuum-full', tables: (stmt.rels ?? []).map((r) => relationName(as(r, 'VacuumRelation')?.relation)) };
    }
    case 'ClusterStmt': {
      const table = relationName(as(node, 'ClusterStmt')?.relation);
      return table ? { kind: 'cluster', table } : { kind: 'cluster' };
    }
    case 'RefreshMatViewStmt': {
      const stmt = as(node, 'RefreshMatViewStmt')!;
      return { kind: 'refresh-view', name: relationName(stmt.relation), concurrently: stmt.concurrent === true };
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
      return dml(tag === 'UpdateStmt' ? 'update' : 'delete', fields as UpdateStmt | DeleteStmt, text);
    case 'VariableSetStmt': {
      const stmt = as(node, 'VariableSetStmt')!;
      if (stmt.kind !== 'VAR_SET_VALUE' && stmt.kind !== 'VAR_SET_DEFAULT') return OTHER;
      return { kind: 'set', name: (stmt.name ?? '').toLowerCase(), value: (stmt.args ?? []).map(constantText).join(', ') || 'default' };
    }
    case 'SelectStmt':
      return select(as(node, 'SelectStmt')!);
    case 'DoStmt':
      return doBlock(as(node, 'DoStmt')!, text, ctx);
    case 'CreateFunctionStmt':
      return createRoutine(as(node, 'CreateFunctionStmt')!, text, ctx);
    case 'CallStmt':
      return callAction([dotted(as(node, 'CallStmt')?.funccall?.funcname)]);
    case 'LockStmt': {
      const stmt = as(node, 'LockStmt')!;
      // LockStmt's mode is PostgreSQL's lock number: 1 is ACCESS SHARE, 8 ACCESS EXCLUSIVE.
      const mode: LockMode = LOCK_MODES[(stmt.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
      return { kind: 'lock', tables: relations(stmt.relations), mode };
    }
    case 'CreateTrigStmt':
      return { kind: 'create-trigger', table: relationName(as(node, 'CreateTrigStmt')?.relation) };
    case 'AlterEnumStmt': {
      const stmt = as(node, 'AlterEnumStmt')!;
      return stmt.oldVal ? OTHER : { kind: 'add-enum-value', type: dotted(stmt.typeName) };
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      const table = relationName(as(node, 'CreatePolicyStmt')?.table ?? as(node, 'AlterPolicyStmt')?.table);
      return { kind: 'other', tables: [{ table, mode: 'ACCESS EXCLUSIVE' }] };
    }
    default:
      return OTHER;
  }
}

const filled = (table: string): Action => ({ kind: 'create-table', table, columns: [], constraints: [], references: [], fromQuery: true });

const relations = (nodes: readonly Node[] | undefined): string[] => (nodes ?? []).map((n) => relationName(as(n, 'RangeVar')));

/** Whether a statement's option list turns `name` on: `(CONCURRENTLY)`, `(FULL true)`; not `(FULL false)`. */
function option(list: readonly Node[] | undefined, name: string): boolean {
  const def = (list ?? []).map((n) => as(n, 'DefElem')).find((d) => d?.defname === name);
  if (!def) return false;
  const value = def.arg ? constantText(def.arg).toLowerCase() : 'true';
  return !['false', 'off', '0'].includes(value);
}

function rename(stmt: NonNullable<ReturnType<typeof as<'RenameStmt'>>>): Action {
  const table = relationName(stmt.relation);
  switch (stmt.renameType) {
    case 'OBJECT_COLUMN':
      return stmt.relationType === 'OBJECT_TABLE'
        ? { kind: 'alter-table', table, actions: [{ kind: 'rename-column', from: stmt.subname ?? '', to: stmt.newname ?? '' }] }
        : OTHER;
    case 'OBJECT_TABLE':
      return { kind: 'alter-table', table, actions: [{ kind: 'rename-table', to: stmt.newname ?? '' }] };
    case 'OBJECT_TABCONSTRAINT':
      return { kind: 'alter-table', table, actions: [{ kind: 'other', lock: 'ACCESS EXCLUSIVE' }] };
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
      return { kind: 'other', tables: [{ table, mode: 'ACCESS EXCLUSIVE' }] };
    default:
      return OTHER;
  }
}

function drop(stmt: NonNullable<ReturnType<typeof as<'DropStmt'>>>): Action {
  const names = (stmt.objects ?? []).map((o) => dotted(as(o, 'List')?.items));
  switch (stmt.removeType) {
    case 'OBJECT_TABLE':
      return { kind: 'drop-table', tables: names };
    case 'OBJECT_INDEX':
      return { kind: 'drop-index', names, concurrently: stmt.concurrent === true };
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
      // The object's name last, after its table's.
      return {
        kind: 'other',
        tables: (stmt.objects ?? []).map((o) => ({
          table: strings(as(o, 'List')?.items).slice(0, -1).join('.'),
          mode: 'ACCESS EXCLUSIVE',
        })),
      };
    default:
      return OTHER;
  }
}

/** SET lock_timeout through set_config(), or the functions a SELECT runs. */
function select(stmt: SelectStmt): Action {
  const calls = (stmt.targetList ?? []).map((t) => as(as(t, 'ResTarget')?.val, 'FuncCall')).filter((f) => f !== undefined);
  const config = calls.find((f) => dotted(f.funcname).replace(/^pg_catalog\./, '') === 'set_config');
  const [name, value] = (config?.args ?? []).map((a) => as(a, 'A_Const')?.sval?.sval);
  if (name !== undefined && value !== undefined) return { kind: 'set', name: name.toLowerCase(), value };
  if (stmt.intoClause) return filled(relationName(stmt.intoClause.rel));
  return calls.length > 0 && !stmt.fromClause ? callAction(calls.map((f) => dotted(f.funcname))) : OTHER;
}

function dml(kind: 'update' | 'delete', stmt: UpdateStmt | DeleteStmt, text: StatementText): Action {
  const table = relationName(stmt.relation);
  const tokens = text.tokens;
  const where = text.findWord('WHERE');
  const returning = text.findWord('RETURNING', Math.max(where, 0));
  const end = tokens[returning]?.start ?? text.sql.length;
  const set = kind === 'update' ? text.findWord('SET') : -1;
  const setText = set < 0 ? '' : text.slice(tokens[set]!.start, tokens[where]?.start ?? end);
  if (!stmt.whereClause || where < 0) return { kind, table, setText };
  const whereText = text.slice(tokens[where]!.end, end);
  return { kind, table, setText, where: { text: whereText, ...whereShape(stmt.whereClause) } };
}

/** `a = 1 AND b IN (...)` picks rows by those columns; `a BETWEEN x AND y`, `a < x` is a range. */
function whereShape(clause: Node): Pick<Where, 'pointColumns' | 'range'> {
  const and = as(clause, 'BoolExpr');
  const terms = and?.boolop === 'AND_EXPR' ? (and.args ?? []) : [clause];
  const pointColumns: string[] = [];
  let range = false;
  let point = true;
  for (const term of terms) {
    const e = as(term, 'A_Expr');
    const column = e && as(e.lexpr, 'ColumnRef') ? dotted(as(e.lexpr, 'ColumnRef')?.fields) : undefined;
    const op = strings(e?.name).join('');
    if (!e || column === undefined) point = false;
    else if (e.kind === 'AEXPR_OP' && op === '=' && as(e.rexpr, 'A_Const')) pointColumns.push(column);
    else if (e.kind === 'AEXPR_IN' && (as(e.rexpr, 'List')?.items ?? []).every((i) => as(i, 'A_Const'))) pointColumns.push(column);
    else if (e.kind === 'AEXPR_BETWEEN' || (e.kind === 'AEXPR_OP' && ['<', '>', '<=', '>='].includes(op))) {
      range = true;
      point = false;
    } else point = false;
  }
  return { pointColumns: point ? pointColumns : [], range };
}
