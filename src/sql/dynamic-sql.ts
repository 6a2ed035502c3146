/**
 * The SQL a PL/pgSQL EXECUTE runs, when its expression is made of constants
 * with names or values filled in at run time: `format('ALTER TABLE %I ...',
 * t)`, `'ALTER TABLE ' || quote_ident(t) || ' ...'`. What is only known at
 * run time stands as a placeholder name `"<t>"` or the value NULL.
 */
import type { Node } from 'libpg-query';
import { quoteIdent } from '../core/identifier.js';
import { as, dotted } from './ast.js';
import type { SqlParser } from './parser.js';

/** The SQL of an EXECUTE's expression; undefined when it is not made of constants as above. */
export function dynamicSql(expression: string, parser: SqlParser): string | undefined {
  const node = parser.parse(`SELECT ${expression}`).statements?.[0]?.node;
  const target = as(as(node, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
  return target && templateOf(target);
}

type Place = 'text' | 'identifier' | 'literal';

/**
 * An expression as SQL text with placeholders; `place` is where its value
 * goes: as it is (%s, ||), as a name (%I, quote_ident) or as a value (%L,
 * quote_literal).
 */
function templateOf(node: Node, place: Place = 'text'): string | undefined {
  const constant = as(node, 'A_Const');
  if (constant) {
    const value =
      constant.sval?.sval ?? (constant.ival || constant.fval ? String(constant.ival?.ival ?? constant.fval?.fval ?? 0) : undefined);
    if (value === undefined) return undefined;
    return place === 'identifier' ? quoteIdent(value, 'readable') : place === 'literal' ? `'${value.replace(/'/g, "''")}'` : value;
  }
  const column = as(node, 'ColumnRef');
  if (column) return place === 'literal' ? 'NULL' : `"<${dotted(column.fields)}>"`;
  const op = as(node, 'A_Expr');
  if (op?.kind === 'AEXPR_OP' && dotted(op.name) === '||' && op.lexpr && op.rexpr) {
    const [left, right] = [templateOf(op.lexpr), templateOf(op.rexpr)];
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const call = as(node, 'FuncCall');
  const name = call && dotted(call.funcname).replace(/^pg_catalog\./, '');
  if (name === 'quote_ident' || name === 'quote_literal' || name === 'quote_nullable') {
    return call?.args?.[0] && templateOf(call.args[0], name === 'quote_ident' ? 'identifier' : 'literal');
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
      const text = arg && templateOf(arg, kind === 'I' ? 'identifier' : kind === 'L' ? 'literal' : 'text');
      if (text === undefined) failed = true;
      return text ?? '';
    });
    return failed ? undefined : filled;
  }
  return undefined;
}
