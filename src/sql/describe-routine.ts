/**
 * DO blocks and the functions and procedures a migration defines, read
 * with PostgreSQL's PL/pgSQL parser (or, for LANGUAGE sql, its SQL parser)
 * so that the lint sees the statements inside them. SQL that a body builds
 * at run time (`EXECUTE format(...)`) cannot be read: it is named as not
 * analysed, with why.
 */
import type { CreateFunctionStmt, DoStmt, Node } from 'libpg-query';
import type { Action, Body, BodyStatement } from '../core/lint/action.js';
import { lineColumnAt } from '../core/source-position.js';
import { as, callsIn, dotted, nodesIn, type StatementText } from './ast.js';
import type { SqlParser } from './parser.js';

/** Reads one statement of a body, `depth` bodies deep. */
export type Reader = (sql: string, depth: number) => Action;

interface Context {
  readonly parser: SqlParser;
  readonly read: Reader;
  /** What a statement node of the text does (a BEGIN ATOMIC body's statements come parsed). */
  readonly readNode: (node: Node, text: StatementText) => Action;
  readonly depth: number;
}

/** Bodies inside bodies (a DO that creates a function that runs EXECUTE...) are read this deep. */
const MAX_DEPTH = 3;

export const callAction = (routines: readonly string[]): Action => ({ kind: 'call', routines });

export function doBlock(stmt: DoStmt, text: StatementText, ctx: Context): Action {
  const option = (name: string) => (stmt.args ?? []).map((n) => as(n, 'DefElem')).find((d) => d?.defname === name);
  const as_ = option('as');
  const language = as(option('language')?.arg, 'String')?.sval?.toLowerCase() ?? 'plpgsql';
  const source = as(as_?.arg, 'String')?.sval ?? '';
  const at = text.at(as_?.location) ?? 0;
  return { kind: 'do', ...body(language, source, text, at, ctx) };
}

export function createRoutine(stmt: CreateFunctionStmt, text: StatementText, ctx: Context): Action {
  const option = (name: string) => (stmt.options ?? []).map((n) => as(n, 'DefElem')).find((d) => d?.defname === name);
  const language = as(option('language')?.arg, 'String')?.sval?.toLowerCase() ?? 'sql';
  const volatility = as(option('volatility')?.arg, 'String')?.sval ?? 'volatile';
  const name = dotted(stmt.funcname);
  const volatile = volatility === 'volatile';
  if (stmt.sql_body) {
    // BEGIN ATOMIC ... END: statements PostgreSQL has parsed already.
    const statements = (as(stmt.sql_body, 'List')?.items ?? []).flatMap((n) => as(n, 'List')?.items ?? [n]);
    const actions = statements.map((node): BodyStatement => {
      const start = Math.min(...[...nodesIn(node)].map(([, f]) => (typeof f.location === 'number' ? f.location : Infinity)));
      const at = text.at(Number.isFinite(start) ? start : undefined) ?? 0;
      return { action: ctx.readNode(node, text), sql: text.slice(at, text.itemEnd(at)), ...lineColumnAt(text.sql, at) };
    });
    return { kind: 'create-routine', name, volatile, actions, unanalysed: [] };
  }
  const as_ = option('as');
  const source = as(as(as_?.arg, 'List')?.items?.[0], 'String')?.sval ?? '';
  const inlined = language === 'sql' && !stmt.is_procedure ? inlinedCalls(source, ctx) : undefined;
  const read = body(language, source, text, text.at(as_?.location) ?? 0, ctx);
  return { kind: 'create-routine', name, volatile, ...(inlined && { inlined }), ...read };
}

/** The statements of a body in `language`, each placed in the statement's text (found from `at` on). */
function body(language: string, source: string, text: StatementText, at: number, ctx: Context): Body {
  if (ctx.depth >= MAX_DEPTH) return { actions: [], unanalysed: ['a body inside bodies nested too deep'] };
  if (language === 'sql') return sqlBody(source, text, at, ctx);
  if (language !== 'plpgsql') return { actions: [], unanalysed: [`a LANGUAGE ${language} body`] };
  let tree: unknown;
  try {
    tree = ctx.parser.parsePlpgsql(wrap(source));
  } catch {
    // The server would refuse it when the function is created or the block run; verify does that.
    return { actions: [], unanalysed: ['a PL/pgSQL body its parser refuses'] };
  }
  const actions: BodyStatement[] = [];
  const unanalysed: string[] = [];
  let from = at;
  const place = (sql: string): { line: number; column: number } => {
    const found = text.sql.indexOf(sql, from);
    if (found >= 0) from = found + sql.length;
    return lineColumnAt(text.sql, found >= 0 ? found : at);
  };
  for (const [tag, fields] of nodesIn(tree)) {
    const line = typeof fields.lineno === 'number' ? ` (line ${fields.lineno} of the body)` : '';
    if (tag === 'PLpgSQL_stmt_execsql' || tag === 'PLpgSQL_stmt_perform' || tag === 'PLpgSQL_stmt_call') {
      const sql = queryOf(tag === 'PLpgSQL_stmt_execsql' ? fields.sqlstmt : fields.expr);
      if (sql) actions.push({ action: ctx.read(sql, ctx.depth + 1), sql, ...place(sql) });
    } else if (tag === 'PLpgSQL_stmt_dynexecute' || tag === 'PLpgSQL_stmt_dynfors') {
      const expression = queryOf(fields.query) ?? '';
      // SQL written as constants, with names or values filled in at run time (`format('... %I ...', t)`, `'...' || t`).
      const sql = dynamicSql(expression, ctx.parser);
      if (sql !== undefined && ctx.parser.parse(sql).statements?.length === 1)
        actions.push({ action: ctx.read(sql, ctx.depth + 1), sql, ...place(expression) });
      else unanalysed.push(`EXECUTE of SQL built at run time${line}`);
    }
  }
  return { actions, unanalysed };
}

/**
 * The functions a LANGUAGE sql body calls when the planner would inline it
 * (inline_function: one SELECT of one expression, no FROM, WHERE, GROUP BY
 * or the like); undefined when it would not.
 */
function inlinedCalls(source: string, ctx: Context): string[] | undefined {
  const statements = ctx.parser.parse(source).statements ?? [];
  const select = statements.length === 1 ? as(statements[0]!.node, 'SelectStmt') : undefined;
  if (!select || select.targetList?.length !== 1) return undefined;
  const { targetList, op, ...rest } = select;
  const clauses = Object.entries(rest).filter(([key, value]) => key !== 'limitOption' && value !== undefined);
  return op === 'SETOP_NONE' && clauses.length === 0 ? callsIn(targetList) : undefined;
}

/** A LANGUAGE sql body: its statements, read by PostgreSQL's SQL parser. */
function sqlBody(source: string, text: StatementText, at: number, ctx: Context): Body {
  const outcome = ctx.parser.parse(source);
  const actions: BodyStatement[] = [];
  let from = at;
  for (const s of outcome.statements ?? []) {
    const sql = source.slice(s.start, s.end).trim();
    const found = text.sql.indexOf(sql, from);
    if (found >= 0) from = found + sql.length;
    actions.push({ action: ctx.read(sql, ctx.depth + 1), sql, ...lineColumnAt(text.sql, found >= 0 ? found : at) });
  }
  return { actions, unanalysed: [] };
}

/** A body as the CREATE FUNCTION text the PL/pgSQL parser reads, quoted with a tag the body does not hold. */
function wrap(source: string): string {
  let tag = '$pgshift$';
  for (let i = 0; source.includes(tag); i++) tag = `$pgshift${i}$`;
  return `CREATE FUNCTION pg_temp.pgshift_body() RETURNS void LANGUAGE plpgsql AS ${tag}${source}${tag}`;
}

/** The SQL text of a PL/pgSQL expression node: `{ PLpgSQL_expr: { query } }`. */
function queryOf(expr: unknown): string | undefined {
  const query = (expr as { PLpgSQL_expr?: { query?: unknown } } | undefined)?.PLpgSQL_expr?.query;
  return typeof query === 'string' ? query : undefined;
}

/**
 * The SQL an EXECUTE runs, when its expression is made of constants, with
 * what is only known at run time (a variable, quote_ident(...)) standing as
 * a placeholder name `"<t>"` or value NULL: `format('ALTER TABLE %I ...', t)`,
 * `'ALTER TABLE ' || quote_ident(t) || ' ...'`. Undefined otherwise.
 */
function dynamicSql(expression: string, parser: SqlParser): string | undefined {
  const node = parser.parse(`SELECT ${expression}`).statements?.[0]?.node;
  const target = as(as(node, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
  return target && templateOf(target);
}

/** An expression as SQL text with placeholders; `literal` when it stands where format's %L puts a value. */
function templateOf(node: Node, literal = false): string | undefined {
  const constant = as(node, 'A_Const');
  if (constant)
    return constant.sval?.sval ?? (constant.ival || constant.fval ? String(constant.ival?.ival ?? constant.fval?.fval ?? 0) : undefined);
  const column = as(node, 'ColumnRef');
  if (column) return literal ? 'NULL' : `"<${dotted(column.fields)}>"`;
  const op = as(node, 'A_Expr');
  if (op?.kind === 'AEXPR_OP' && dotted(op.name) === '||' && op.lexpr && op.rexpr) {
    const [left, right] = [templateOf(op.lexpr), templateOf(op.rexpr)];
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const call = as(node, 'FuncCall');
  const name = call && dotted(call.funcname).replace(/^pg_catalog\./, '');
  if (name === 'quote_ident' || name === 'quote_literal' || name === 'quote_nullable') {
    const inner = call?.args?.[0] && templateOf(call.args[0], name !== 'quote_ident');
    return inner === undefined ? undefined : name === 'quote_ident' ? inner : literal ? inner : 'NULL';
  }
  if (name === 'format' && call?.args?.length) {
    const [pattern, ...args] = call.args.map((a, i) => (i === 0 ? as(a, 'A_Const')?.sval?.sval : a));
    if (typeof pattern !== 'string') return undefined;
    let next = 0;
    let failed = false;
    const filled = pattern.replace(/%(?:(\d+)\$)?([IsL%])/g, (_, position: string | undefined, kind: string) => {
      if (kind === '%') return '%';
      const index = position ? Number(position) - 1 : next;
      next = index + 1;
      const arg = args[index] as Node | undefined;
      const text = arg && templateOf(arg, kind === 'L');
      if (text === undefined) failed = true;
      return kind === 'L' && as(arg, 'A_Const') ? `'${(text ?? '').replace(/'/g, "''")}'` : (text ?? '');
    });
    return failed ? undefined : filled;
  }
  return undefined;
}
