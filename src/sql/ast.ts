/**
 * Reading PostgreSQL's parse trees (libpg-query's JSON, typed by
 * @pgsql/types): a node's fields by its type, names, type names as SQL,
 * the functions an expression calls, and the text of a statement around a
 * node, read with the one SQL scanner (core/sql-lexer.ts).
 */
import type { Node, RangeVar, TypeName } from 'libpg-query';
import { quoteIdent } from '../core/identifier.js';
import { scanSql, type SqlTokenKind } from '../core/sql-lexer.js';
import { utf16Offset } from './parser.js';

/** The type names a {@link Node} can have: `CreateStmt`, `ColumnDef`, `String`... */
export type NodeTag = Node extends infer N ? (N extends unknown ? keyof N : never) : never;
/** The fields of a node of type `K`. */
export type NodeOf<K extends NodeTag> = Extract<Node, Record<K, unknown>>[K];

/** The node's fields when it is of type `tag`. */
export function as<K extends NodeTag>(node: Node | undefined, tag: K): NodeOf<K> | undefined {
  return node !== undefined && tag in node ? (node as unknown as Record<K, NodeOf<K>>)[tag] : undefined;
}

/** The node's type and fields. */
export function unwrap(node: Node): [NodeTag, Record<string, unknown>] {
  const tag = Object.keys(node)[0] as NodeTag;
  return [tag, (node as unknown as Record<string, Record<string, unknown>>)[tag] ?? {}];
}

/** The strings of a list of String nodes: a qualified name's parts. */
export const strings = (nodes: readonly Node[] | undefined): string[] => (nodes ?? []).map((n) => as(n, 'String')?.sval ?? '');

/** A name as the lint writes it: parts joined by dots, each as PostgreSQL folded it (`sales.Order`). */
export const dotted = (nodes: readonly Node[] | undefined): string => strings(nodes).join('.');

/** A table's name as written, schema-qualified when it was: `orders`, `sales.orders`. */
export const relationName = (r: RangeVar | undefined): string => [r?.schemaname, r?.relname].filter(Boolean).join('.');

/** The name PostgreSQL's catalog types go by in SQL a person writes. */
const SQL_NAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** A type as SQL, lower-cased where PostgreSQL folds it: `varchar(20)`, `numeric(10,2)`, `integer[]`, `app."Mood"`. */
export function typeText(t: TypeName | undefined): string {
  const parts = strings(t?.names);
  const builtin = parts.length === 2 && parts[0] === 'pg_catalog';
  const base = builtin ? (SQL_NAMES[parts[1]!] ?? parts[1]!) : parts.map((p) => quoteIdent(p, 'readable')).join('.');
  // An interval's modifier is a bit mask of its fields, not what was written.
  const mods = base === 'interval' ? [] : (t?.typmods ?? []).map(constantText);
  const array = '[]'.repeat(t?.arrayBounds?.length ?? 0);
  return `${base}${mods.length > 0 ? `(${mods.join(',')})` : ''}${array}`;
}

/** A constant's value as SQL text: `20`, `2.5`, `abc`; a column reference's name. */
export function constantText(node: Node): string {
  const c = as(node, 'A_Const');
  if (c) return String(c.ival?.ival ?? c.fval?.fval ?? c.sval?.sval ?? c.boolval?.boolval ?? (c.ival ? 0 : ''));
  const word = as(node, 'String')?.sval ?? as(node, 'Integer')?.ival ?? as(node, 'Boolean')?.boolval;
  if (word !== undefined) return String(word);
  return dotted(as(node, 'ColumnRef')?.fields);
}

/** Every node of the tree, in document order, each with its type; walked with a stack, so a deep tree (a chain of 10,000 `||`) cannot overflow. */
export function nodesIn(value: unknown): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  // A node is emitted when reached, then its fields are visited: pushed in reverse so the first comes off first.
  const stack: ({ readonly visit: unknown } | { readonly emit: [string, Record<string, unknown>] })[] = [{ visit: value }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('emit' in step) {
      found.push(step.emit);
      continue;
    }
    const item = step.visit;
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ visit: item[i] });
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!;
        stack.push({ visit: inner });
        if (/^[A-Z]/.test(key) && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
          stack.push({ emit: [key, inner as Record<string, unknown>] });
      }
    }
  }
  return found;
}

/** The functions an expression calls, as written: `random`, `pg_catalog.now`, `app.next_code`. */
export function callsIn(node: unknown): string[] {
  const calls: string[] = [];
  for (const [tag, fields] of nodesIn(node)) if (tag === 'FuncCall') calls.push(dotted(fields.funcname as Node[]));
  return calls;
}

/** One token of a statement's text, with how many parentheses are open around it. */
export interface Token {
  readonly kind: SqlTokenKind;
  /** Words upper-cased; anything else as written. */
  readonly upper: string;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
}

/** A statement's text: its tokens (no spaces, no comments), and its parse tree's locations as offsets into it. */
export class StatementText {
  private tokenList: Token[] | undefined;
  private readonly toOffset: (byte: number) => number;

  constructor(readonly sql: string) {
    this.toOffset = utf16Offset(sql);
  }

  /** The offset into the text of a parse-tree location (a UTF-8 byte offset). */
  at(location: number | undefined): number | undefined {
    return location === undefined || location < 0 ? undefined : this.toOffset(location);
  }

  get tokens(): readonly Token[] {
    if (this.tokenList === undefined) {
      const list: Token[] = [];
      let depth = 0;
      scanSql(this.sql, (kind, start, end) => {
        if (kind === 'space' || kind === 'comment') return;
        const text = this.sql.slice(start, end);
        // Brackets nest as parentheses do: a comma in ARRAY[a, b] separates no list item.
        if (kind === 'char' && (text === ')' || text === ']')) depth--;
        list.push({ kind, upper: kind === 'word' ? text.toUpperCase() : text, start, end, depth });
        if (kind === 'char' && (text === '(' || text === '[')) depth++;
      });
      this.tokenList = list;
    }
    return this.tokenList;
  }

  /** The first token at or after `offset`. */
  tokenAt(offset: number): number {
    const i = this.tokens.findIndex((t) => t.start >= offset);
    return i < 0 ? this.tokens.length : i;
  }

  /** The first word `word` at parenthesis depth `depth` from token `from` on; -1 when there is none. */
  findWord(word: string, from = 0, depth = 0): number {
    return this.tokens.findIndex((t, i) => i >= from && t.depth === depth && t.kind === 'word' && t.upper === word);
  }

  /**
   * Where the item of a list that starts at `offset` ends: at the comma or
   * closing parenthesis that ends it, or at the statement's end.
   */
  itemEnd(offset: number): number {
    const from = this.tokenAt(offset);
    const depth = this.tokens[from]?.depth ?? 0;
    for (let i = from; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.depth < depth || (t.depth === depth && (t.upper === ',' || t.upper === ';'))) return t.start;
    }
    return this.sql.length;
  }

  /**
   * Where the statement that starts at `offset` ends: at the parenthesis
   * that closes around it (a WITH query), at a `;` (a statement of a BEGIN
   * ATOMIC body), or at the text's end.
   */
  statementEnd(offset: number): number {
    const from = this.tokenAt(offset);
    const depth = this.tokens[from]?.depth ?? 0;
    for (let i = from; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.depth < depth || (t.depth === depth && t.upper === ';')) return t.start;
    }
    return this.sql.length;
  }

  /** The text between two offsets, trimmed. */
  slice(start: number, end: number): string {
    return this.sql.slice(start, end).trim();
  }
}
