/**
 * DO blocks and the functions and procedures a migration defines, read
 * with PostgreSQL's PL/pgSQL parser (or, for LANGUAGE sql, its SQL parser)
 * so that the lint sees the statements inside them. SQL that a body builds
 * at run time (`EXECUTE format(...)`) cannot be read: it is named as not
 * analysed, with why.
 */
import type { CreateFunctionStmt, DoStmt, Node } from 'libpg-query';
import type { Action, Body, BodyStatement } from '../core/lint/action.js';
import { lineColumnAt, lineLocator } from '../core/source-position.js';
import { dynamicSql } from './dynamic-sql.js';
import { as, callsIn, dotted, nodesIn, type StatementText } from './ast.js';
import type { SqlParser } from './parser.js';

/** Reads one statement of a body, `depth` bodies deep; `repeated` when it is inside a loop of the body. */
export type Reader = (sql: string, depth: number, repeated?: boolean) => Action;

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
  // A DO block's body is read as the body of a function of no arguments returning nothing.
  return { kind: 'do', ...body(language, { source, sql: wrap(source) }, text, text.at(as_?.location) ?? 0, ctx) };
}

export function createRoutine(stmt: CreateFunctionStmt, text: StatementText, ctx: Context): Action {
  const option = (name: string) => (stmt.options ?? []).map((n) => as(n, 'DefElem')).find((d) => d?.defname === name);
  const language = as(option('language')?.arg, 'String')?.sval?.toLowerCase() ?? 'sql';
  const volatility = as(option('volatility')?.arg, 'String')?.sval ?? 'volatile';
  const name = dotted(stmt.funcname);
  const volatile = volatility === 'volatile';
  // What inline_function requires besides the body: a plain function (no SECURITY DEFINER, no SET, no set or record result).
  const inlinable =
    language === 'sql' &&
    !stmt.is_procedure &&
    !stmt.returnType?.setof &&
    dotted(stmt.returnType?.names).replace(/^pg_catalog\./, '') !== 'record' &&
    !option('set') &&
    as(option('security')?.arg, 'Boolean')?.boolval !== true;
  if (stmt.sql_body) {
    // BEGIN ATOMIC ... END or RETURN expression: statements PostgreSQL has parsed already.
    const list = as(stmt.sql_body, 'List');
    const statements = list ? (list.items ?? []).flatMap((n) => as(n, 'List')?.items ?? [n]) : [stmt.sql_body];
    const actions = statements.map((node): BodyStatement => {
      const at = text.at(firstLocation(node)) ?? 0;
      return { action: ctx.readNode(node, text), sql: text.slice(at, text.statementEnd(at)), ...lineColumnAt(text.sql, at) };
    });
    const only = statements.length === 1 ? statements[0] : undefined;
    const inlined = inlinable && only ? inlinedCalls(only) : undefined;
    return { kind: 'create-routine', name, volatile, ...(inlined && { inlined }), actions, unanalysed: [] };
  }
  const as_ = option('as');
  const source = as(as(as_?.arg, 'List')?.items?.[0], 'String')?.sval ?? '';
  const statements = language === 'sql' ? (ctx.parser.parse(source).statements ?? []) : [];
  const inlined = inlinable && statements.length === 1 ? inlinedCalls(statements[0]!.node) : undefined;
  // PL/pgSQL's parser reads the function as written: its arguments and result type decide what its body may say.
  const read = body(language, { source, sql: text.sql }, text, text.at(as_?.location) ?? 0, ctx);
  return { kind: 'create-routine', name, volatile, ...(inlined && { inlined }), ...read };
}

/** The smallest location in a node's tree: where its text starts. */
function firstLocation(node: Node): number | undefined {
  let first: number | undefined;
  for (const [, fields] of nodesIn(node))
    if (typeof fields.location === 'number' && fields.location >= 0 && (first === undefined || fields.location < first))
      first = fields.location;
  return first;
}

/** PL/pgSQL's loops: LOOP, WHILE, FOR over integers, a query, a cursor, an array or dynamic SQL. */
const LOOPS = new Set([
  'PLpgSQL_stmt_loop',
  'PLpgSQL_stmt_while',
  'PLpgSQL_stmt_fori',
  'PLpgSQL_stmt_fors',
  'PLpgSQL_stmt_forc',
  'PLpgSQL_stmt_foreach_a',
  'PLpgSQL_stmt_dynfors',
]);

/** Languages whose routines run no SQL of their own. */
const NO_SQL = new Set(['c', 'internal']);

/**
 * The statements of a body in `language`, each placed in the statement's
 * text; `at` is where the body's string starts there. `function` is the
 * CREATE FUNCTION text PL/pgSQL's parser reads.
 */
function body(
  language: string,
  code: { readonly source: string; readonly sql: string },
  text: StatementText,
  at: number,
  ctx: Context,
): Body {
  if (ctx.depth >= MAX_DEPTH) return { actions: [], unanalysed: ['a body inside bodies nested too deep'] };
  if (language === 'sql') return sqlBody(code.source, text, at, ctx);
  if (NO_SQL.has(language)) return { actions: [], unanalysed: [] };
  if (language !== 'plpgsql') return { actions: [], unanalysed: [`a LANGUAGE ${language} body`] };
  let tree: unknown;
  try {
    tree = ctx.parser.parsePlpgsql(code.sql);
  } catch {
    // The server would refuse it when the function is created or the block run; verify does that.
    return { actions: [], unanalysed: ['a PL/pgSQL body its parser refuses'] };
  }
  const actions: BodyStatement[] = [];
  const unanalysed: string[] = [];
  const place = placer(text, at);
  const nodes = nodesIn(tree);
  // The statements inside a loop run many times in one transaction: a WHERE on a variable there is no single row.
  const repeated = new Set<unknown>(
    nodes.filter(([tag]) => LOOPS.has(tag)).flatMap(([, fields]) => nodesIn(fields.body).map(([, f]) => f)),
  );
  for (const [tag, fields] of nodes) {
    const lineno = typeof fields.lineno === 'number' ? fields.lineno : undefined;
    const line = lineno !== undefined ? ` (line ${lineno} of the body)` : '';
    if (tag === 'PLpgSQL_stmt_execsql' || tag === 'PLpgSQL_stmt_perform' || tag === 'PLpgSQL_stmt_call') {
      const sql = queryOf(tag === 'PLpgSQL_stmt_execsql' ? fields.sqlstmt : fields.expr);
      if (sql) actions.push({ action: ctx.read(sql, ctx.depth + 1, repeated.has(fields)), sql, ...place(sql, lineno) });
    } else if (tag === 'PLpgSQL_stmt_dynexecute' || tag === 'PLpgSQL_stmt_dynfors') {
      const expression = queryOf(fields.query) ?? '';
      // SQL written as constants, with names or values filled in at run time (`format('... %I ...', t)`, `'...' || t`).
      const sql = dynamicSql(expression, ctx.parser);
      if (sql !== undefined && ctx.parser.parse(sql).statements?.length === 1)
        actions.push({ action: ctx.read(sql, ctx.depth + 1, repeated.has(fields)), sql, ...place(expression, lineno) });
      else unanalysed.push(`EXECUTE of SQL built at run time${line}`);
    }
  }
  return { actions, unanalysed };
}

/**
 * Where each statement of a body is in the statement's text: on the body's
 * line `lineno` (PL/pgSQL counts from the line the body's string opens on),
 * else after the last one found.
 */
function placer(text: StatementText, at: number): (sql: string, lineno?: number) => { line: number; column: number } {
  const locate = lineLocator(text.sql);
  const opening = /^(\$[^$]*\$|[eE]?')/.exec(text.sql.slice(at))?.[0].length ?? 0;
  const bodyStart = at + opening;
  let from = bodyStart;
  return (sql, lineno) => {
    let lineStart = bodyStart;
    for (let n = 1; lineno !== undefined && n < lineno; n++) {
      const next = text.sql.indexOf('\n', lineStart);
      if (next < 0) break;
      lineStart = next + 1;
    }
    const found = text.sql.indexOf(sql, lineno !== undefined ? lineStart : from);
    if (found >= 0) from = found + sql.length;
    return locate(found >= 0 ? found : lineStart);
  };
}

/**
 * The functions a LANGUAGE sql body's one statement calls when the planner
 * would inline it (inline_function: a SELECT of one expression with no
 * FROM, WHERE, GROUP BY or the like, or RETURN expression); undefined when
 * it would not.
 */
function inlinedCalls(statement: Node): string[] | undefined {
  const returned = as(statement, 'ReturnStmt');
  if (returned) return callsIn(returned.returnval);
  const select = as(statement, 'SelectStmt');
  if (!select || select.targetList?.length !== 1) return undefined;
  const { targetList, op, ...rest } = select;
  const clauses = Object.entries(rest).filter(([key, value]) => key !== 'limitOption' && value !== undefined);
  return op === 'SETOP_NONE' && clauses.length === 0 ? callsIn(targetList) : undefined;
}

/** A LANGUAGE sql body: its statements, read by PostgreSQL's SQL parser. */
function sqlBody(source: string, text: StatementText, at: number, ctx: Context): Body {
  const outcome = ctx.parser.parse(source);
  const place = placer(text, at);
  const actions = (outcome.statements ?? []).map((s): BodyStatement => {
    const sql = source.slice(s.start, s.end).trim();
    return { action: ctx.read(sql, ctx.depth + 1), sql, ...place(sql) };
  });
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
