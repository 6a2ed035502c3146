/**
 * What a statement does, for the lint (core/lint/action.ts), read from its
 * node as PostgreSQL's own parser builds it: every statement PostgreSQL
 * takes gets one, and the statements inside DO blocks and routines are read
 * by its PL/pgSQL parser (describe-routine.ts).
 */
import type { DeleteStmt, Node, SelectStmt, UpdateStmt, WithClause } from 'libpg-query';
import { LOCK_MODES, type Action, type BodyStatement, type Describe, type Where } from '../core/lint/action.js';
import { quoteIdent } from '../core/identifier.js';
import { lineColumnAt } from '../core/source-position.js';
import { as, callsIn, constantText, dotted, relationName, StatementText, strings, unwrap, type NodeOf, type NodeTag } from './ast.js';
import { alterTable, createTable } from './describe-table.js';
import { callAction, createRoutine, doBlock, type Reader as BodyReader } from './describe-routine.js';
import type { SqlParser } from './parser.js';

/** The lint's reader of statements, on PostgreSQL's parser. A statement it cannot parse is `other`. */
export function describer(parser: SqlParser): Describe {
  const read: BodyReader = (sql, depth, repeated = false) => {
    const outcome = parser.parse(sql);
    const node = outcome.statements?.[0]?.node;
    if (!node) return OTHER;
    try {
      return describeNode(node, new StatementText(sql), { parser, read, readNode, depth, repeated });
    } catch {
      // A tree this reader cannot follow (none is known) is a statement it has nothing to say about, not a crash of the lint.
      return OTHER;
    }
  };
  const readNode = (node: Node, text: StatementText): Action =>
    describeNode(node, text, { parser, read, readNode, depth: 1, repeated: false });
  return (sql) => read(sql, 0);
}

const OTHER: Action = { kind: 'other', tables: [] };

export interface DescribeContext {
  readonly parser: SqlParser;
  /** Reads a statement inside a body (`depth` bodies deep). */
  readonly read: BodyReader;
  readonly readNode: (node: Node, text: StatementText) => Action;
  readonly depth: number;
  /** Inside a loop of a body: it runs many times. */
  readonly repeated: boolean;
}

function describeNode(node: Node, text: StatementText, ctx: DescribeContext): Action {
  const [tag, fields] = unwrap(node);
  const reader = READERS[tag] as Reader<NodeTag> | undefined;
  const action = reader ? reader(fields as NodeOf<NodeTag>, text, ctx) : OTHER;
  const modifying = dataModifyingQueries(fields.withClause as WithClause | undefined, text, ctx);
  if (modifying.length === 0) return action;
  return { kind: 'compound', actions: [...modifying, { action, sql: text.sql, line: 1, column: 1 }] };
}

/** The UPDATE, DELETE and INSERT queries of a WITH clause, each as a statement of its own (they run whether or not the statement reads them). */
function dataModifyingQueries(clause: WithClause | undefined, text: StatementText, ctx: DescribeContext): BodyStatement[] {
  return (clause?.ctes ?? []).flatMap((node) => {
    const cte = as(node, 'CommonTableExpr');
    const query = cte?.ctequery;
    if (!query || !(as(query, 'UpdateStmt') || as(query, 'DeleteStmt') || as(query, 'InsertStmt'))) return [];
    // The query's text: from after `name [(columns)] AS [NOT MATERIALIZED] (` to its closing parenthesis.
    const name = text.tokenAt(text.at(cte.location) ?? 0);
    const as_ = text.findWord('AS', name, text.tokens[name]?.depth ?? 0);
    const open = text.tokens.findIndex((t, i) => i > as_ && t.upper === '(' && t.kind === 'char');
    const start = text.tokens[open + 1]?.start ?? 0;
    const sql = text.slice(start, text.statementEnd(start));
    return [{ action: ctx.readNode(query, text), sql, ...lineColumnAt(text.sql, start) }];
  });
}

type Reader<K extends NodeTag> = (stmt: NodeOf<K>, text: StatementText, ctx: DescribeContext) => Action;

/** By statement type, what it does; a statement of a type not here is `other`. */
const READERS: { readonly [K in NodeTag]?: Reader<K> } = {
  CreateStmt: (stmt, text) => createTable(stmt, text),
  CreateTableAsStmt: (stmt) => filled(relationName(stmt.into?.rel)),
  AlterTableStmt: (stmt, text) => (stmt.objtype === 'OBJECT_TABLE' ? alterTable(stmt, text) : OTHER),
  RenameStmt: (stmt) => rename(stmt),
  IndexStmt: (stmt, text) => ({
    kind: 'create-index',
    table: relationName(stmt.relation),
    concurrently: stmt.concurrent === true,
    unique: stmt.unique === true,
    only: stmt.relation?.inh !== true,
    ifNotExists: stmt.if_not_exists === true,
    partial: stmt.whereClause !== undefined || (stmt.indexParams ?? []).some((p) => !as(p, 'IndexElem')?.name),
    columns: (stmt.indexParams ?? []).flatMap((p) => {
      const name = as(p, 'IndexElem')?.name;
      return name ? [name] : [];
    }),
    insertAt: text.tokens[text.findWord('INDEX')]?.end ?? 0,
    ...(stmt.idxname && { name: stmt.idxname }),
  }),
  DropStmt: (stmt) => drop(stmt),
  TruncateStmt: (stmt) => ({ kind: 'truncate', tables: relations(stmt.relations) }),
  ReindexStmt: (stmt) => ({
    kind: 'reindex',
    target: (stmt.kind ?? '').replace('REINDEX_OBJECT_', '').toLowerCase(),
    name: stmt.relation ? relationName(stmt.relation) : (stmt.name ?? ''),
    concurrently: option(stmt.params, 'concurrently'),
  }),
  VacuumStmt: (stmt) =>
    stmt.is_vacuumcmd && option(stmt.options, 'full')
      ? { kind: 'vacuum-full', tables: (stmt.rels ?? []).map((r) => relationName(as(r, 'VacuumRelation')?.relation)) }
      : OTHER,
  ClusterStmt: (stmt) => (stmt.relation ? { kind: 'cluster', table: relationName(stmt.relation) } : { kind: 'cluster' }),
  RefreshMatViewStmt: (stmt) => ({ kind: 'refresh-view', name: relationName(stmt.relation), concurrently: stmt.concurrent === true }),
  // In a body, a variable is one value, unless a loop gives it every value in turn.
  UpdateStmt: (stmt, text, ctx) => dml('update', stmt, text, ctx.depth > 0 && !ctx.repeated),
  DeleteStmt: (stmt, text, ctx) => dml('delete', stmt, text, ctx.depth > 0 && !ctx.repeated),
  // SET name TO value; SET name TO DEFAULT and RESET name give back the server's value.
  VariableSetStmt: (stmt) =>
    stmt.kind === 'VAR_SET_VALUE' || stmt.kind === 'VAR_SET_DEFAULT' || stmt.kind === 'VAR_RESET'
      ? { kind: 'set', name: (stmt.name ?? '').toLowerCase(), value: (stmt.args ?? []).map(constantText).join(', ') || 'default' }
      : OTHER,
  SelectStmt: (stmt) => select(stmt),
  DoStmt: (stmt, text, ctx) => doBlock(stmt, text, ctx),
  CreateFunctionStmt: (stmt, text, ctx) => createRoutine(stmt, text, ctx),
  CallStmt: (stmt) => callAction([dotted(stmt.funccall?.funcname)]),
  // LockStmt's mode is PostgreSQL's lock number: 1 is ACCESS SHARE, 8 ACCESS EXCLUSIVE.
  LockStmt: (stmt) => ({ kind: 'lock', tables: relations(stmt.relations), mode: LOCK_MODES[(stmt.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE' }),
  CreateTrigStmt: (stmt) => ({ kind: 'create-trigger', table: relationName(stmt.relation) }),
  AlterObjectSchemaStmt: (stmt) =>
    stmt.objectType === 'OBJECT_TABLE'
      ? {
          kind: 'alter-table',
          table: relationName(stmt.relation),
          actions: [{ kind: 'rename-table', to: `${stmt.newschema ?? ''}.${stmt.relation?.relname ?? ''}` }],
        }
      : OTHER,
  AlterDomainStmt: (stmt) => ({
    kind: 'alter-domain',
    domain: strings(stmt.typeName)
      .map((p) => quoteIdent(p, 'readable'))
      .join('.'),
    // C: ADD CONSTRAINT (checked unless NOT VALID), O: SET NOT NULL.
    checksValues: stmt.subtype === 'O' || (stmt.subtype === 'C' && as(stmt.def, 'Constraint')?.skip_validation !== true),
  }),
  AlterEnumStmt: (stmt) => (stmt.oldVal ? OTHER : { kind: 'add-enum-value', type: dotted(stmt.typeName) }),
  CreatePolicyStmt: (stmt) => ({ kind: 'other', tables: [{ table: relationName(stmt.table), mode: 'ACCESS EXCLUSIVE' }] }),
  AlterPolicyStmt: (stmt) => ({ kind: 'other', tables: [{ table: relationName(stmt.table), mode: 'ACCESS EXCLUSIVE' }] }),
};

const filled = (table: string): Action => ({ kind: 'create-table', table, columns: [], constraints: [], references: [], fromQuery: true });

const relations = (nodes: readonly Node[] | undefined): string[] => (nodes ?? []).map((n) => relationName(as(n, 'RangeVar')));

/** Whether a statement's option list turns `name` on: `(CONCURRENTLY)`, `(FULL true)`; not `(FULL false)`. */
function option(list: readonly Node[] | undefined, name: string): boolean {
  const def = (list ?? []).map((n) => as(n, 'DefElem')).find((d) => d?.defname === name);
  if (!def) return false;
  const value = def.arg ? constantText(def.arg).toLowerCase() : 'true';
  return !['false', 'off', '0'].includes(value);
}

function rename(stmt: NodeOf<'RenameStmt'>): Action {
  const table = relationName(stmt.relation);
  switch (stmt.renameType) {
    case 'OBJECT_COLUMN':
      return stmt.relationType === 'OBJECT_TABLE'
        ? { kind: 'alter-table', table, actions: [{ kind: 'rename-column', from: stmt.subname ?? '', to: stmt.newname ?? '' }] }
        : OTHER;
    case 'OBJECT_TABLE': {
      // RENAME keeps the schema: sales.t RENAME TO u is sales.u.
      const to = [stmt.relation?.schemaname, stmt.newname ?? ''].filter(Boolean).join('.');
      return { kind: 'alter-table', table, actions: [{ kind: 'rename-table', to }] };
    }
    case 'OBJECT_TABCONSTRAINT':
      return { kind: 'alter-table', table, actions: [{ kind: 'other', lock: 'ACCESS EXCLUSIVE' }] };
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
      return { kind: 'other', tables: [{ table, mode: 'ACCESS EXCLUSIVE' }] };
    default:
      return OTHER;
  }
}

function drop(stmt: NodeOf<'DropStmt'>): Action {
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

/** SET lock_timeout through set_config(), or the functions a SELECT runs (those the migrations defined are looked into). */
function select(stmt: SelectStmt): Action {
  const calls = (stmt.targetList ?? []).map((t) => as(as(t, 'ResTarget')?.val, 'FuncCall')).filter((f) => f !== undefined);
  const config = calls.find((f) => dotted(f.funcname).replace(/^pg_catalog\./, '') === 'set_config');
  const [name, value] = (config?.args ?? []).map((a) => as(a, 'A_Const')?.sval?.sval);
  if (name !== undefined && value !== undefined) return { kind: 'set', name: name.toLowerCase(), value };
  if (stmt.intoClause) return filled(relationName(stmt.intoClause.rel));
  const called = [...new Set(callsIn(stmt))];
  return called.length > 0 ? callAction(called) : OTHER;
}

/**
 * UPDATE or DELETE, its text read from the statement's own span (it may be a
 * WITH query or a statement of a body inside a larger text): what follows
 * the table's name (alias and SET ...) up to WHERE, and the WHERE clause.
 */
function dml(kind: 'update' | 'delete', stmt: UpdateStmt | DeleteStmt, text: StatementText, inBody: boolean): Action {
  const table = relationName(stmt.relation);
  const tokens = text.tokens;
  // The name's parts and dots, then what follows it.
  let name = text.tokenAt(text.at(stmt.relation?.location) ?? 0);
  const depth = tokens[name]?.depth ?? 0;
  while (tokens[name + 1]?.upper === '.') name += 2;
  const after = name + 1;
  const end = text.statementEnd(tokens[after]?.start ?? text.sql.length);
  const within = (i: number) => (i >= 0 && (tokens[i]?.start ?? Infinity) < end ? i : -1);
  const where = within(text.findWord('WHERE', after, depth));
  const returning = within(text.findWord('RETURNING', Math.max(where, after), depth));
  const stop = tokens[returning]?.start ?? end;
  const setText = kind === 'update' ? text.slice(tokens[after]?.start ?? stop, tokens[where]?.start ?? stop) : '';
  if (!stmt.whereClause || where < 0) return { kind, table, setText };
  const whereText = text.slice(tokens[where]!.end, stop);
  return { kind, table, setText, where: { text: whereText, ...whereShape(stmt.whereClause, inBody) } };
}

/**
 * `a = 1 AND b IN (...)` picks rows by those columns; `a BETWEEN x AND y`,
 * `a < x` is a range. A value is a constant or a parameter (`$1`); in a
 * body, also a variable (`r.id`, `v`), which PL/pgSQL passes as one.
 */
function whereShape(clause: Node, inBody: boolean): Pick<Where, 'pointColumns' | 'range'> {
  const isValue = (node: Node | undefined): boolean => {
    const cast = as(node, 'TypeCast');
    if (cast) return isValue(cast.arg);
    return as(node, 'A_Const') !== undefined || as(node, 'ParamRef') !== undefined || (inBody && as(node, 'ColumnRef') !== undefined);
  };
  const and = as(clause, 'BoolExpr');
  const terms = and?.boolop === 'AND_EXPR' ? (and.args ?? []) : [clause];
  const pointColumns: string[] = [];
  let range = false;
  let point = true;
  for (const term of terms) {
    const e = as(term, 'A_Expr');
    // The column's own name: `o.id` and `orders.id` are `id`.
    const column = e && as(e.lexpr, 'ColumnRef') ? strings(as(e.lexpr, 'ColumnRef')?.fields).pop() : undefined;
    const op = strings(e?.name).join('');
    if (!e || column === undefined) point = false;
    else if (e.kind === 'AEXPR_OP' && op === '=' && isValue(e.rexpr)) pointColumns.push(column);
    else if (e.kind === 'AEXPR_IN' && (as(e.rexpr, 'List')?.items ?? []).every((i) => isValue(i))) pointColumns.push(column);
    else if (e.kind === 'AEXPR_BETWEEN' || (e.kind === 'AEXPR_OP' && ['<', '>', '<=', '>='].includes(op))) {
      range = true;
      point = false;
    } else point = false;
  }
  return { pointColumns: point ? pointColumns : [], range };
}
