/**
 * Another session's query, fit to show: its literals replaced by $1, $2 …
 * as pg_stat_statements normalises a query (numbering after the highest
 * parameter it already has), so that no value it holds (a password, a
 * customer's e-mail) reaches a log; then cut to `max` characters. Pure.
 */
import { scanSql } from './sql-lexer.js';

/** Characters that continue a number: 1.5, 1e10, 0x1F, 1_000. */
const NUMBER_TAIL = /^[0-9A-Za-z_.]*/;
/** A letter that prefixes a string constant: B'0101', X'1F', N'text'. */
const PREFIX = /^[bBxXnN]$/;

export function normaliseQuery(text: string, max = 200): string {
  let highest = 0;
  scanSql(text, (kind, start, end) => {
    if (kind === 'parameter') highest = Math.max(highest, Number(text.slice(start + 1, end)) || 0);
  });
  const out: string[] = [];
  let at = 0;
  let skipTo = 0;
  let last: { start: number; kind: string } | undefined;
  const placeholder = (start: number) => {
    out.push(text.slice(at, start), `$${++highest}`);
  };
  const problem = scanSql(text, (kind, start, end) => {
    if (start < skipTo) return;
    if (kind === 'string' || kind === 'dollar-string') {
      // A prefix word right before it (B'…', U&'…') goes with it.
      const prefixed = last?.kind === 'word' && PREFIX.test(text.slice(last.start, start));
      placeholder(prefixed ? last!.start : start);
      at = end;
    } else if (kind === 'number') {
      placeholder(start);
      at = end + (NUMBER_TAIL.exec(text.slice(end))?.[0].length ?? 0);
      skipTo = at;
    }
    if (kind !== 'space' && kind !== 'comment') last = { start, kind };
  });
  // A query the server cut short (track_activity_query_size) may end inside a quote: what is left is hidden too.
  if (problem && problem.offset >= at) placeholder(problem.offset);
  else out.push(text.slice(at));
  const normal = out.join('').replace(/\s+/g, ' ').trim();
  return normal.length > max ? `${normal.slice(0, max - 1)}…` : normal;
}
