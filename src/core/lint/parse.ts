/**
 * What one statement does, as far as the lint rules must know: which
 * relations it touches, how (add a column with a default, change a type,
 * build an index...), and the parts of its text a safe rewrite reuses.
 * Statements it does not recognise come back as `other`, never guessed at.
 */
import { folded, tokenize, type Token } from './tokens.js';

export interface ColumnDef {
  readonly name: string;
  /** As written, lower-cased, spaces normalised: `varchar(20)`, `bigint`. */
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression as written, if any. */
  readonly default?: string;
  readonly generatedStored: boolean;
  readonly identity: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly references?: string;
}

export type ConstraintType = 'check' | 'foreign-key' | 'unique' | 'primary-key' | 'exclude';

export interface ConstraintDef {
  readonly name?: string;
  readonly type: ConstraintType;
  readonly notValid: boolean;
  readonly usingIndex?: string;
  readonly columns: readonly string[];
  readonly references?: string;
  /** For `CHECK (col IS NOT NULL)`: the column it proves not null. */
  readonly notNullOf?: string;
  /** The constraint's text after its name: `CHECK (price >= 0)`. */
  readonly text: string;
}

/** One action of an ALTER TABLE; `at` is its offset in the statement (a finding points at its line). */
export type AlterAction = AlterKind & { readonly at?: number };

type AlterKind =
  | { readonly kind: 'add-column'; readonly column: ColumnDef }
  | { readonly kind: 'drop-column'; readonly column: string }
  | { readonly kind: 'alter-type'; readonly column: string; readonly type: string; readonly using: boolean }
  | { readonly kind: 'set-not-null' | 'drop-not-null' | 'set-default' | 'drop-default'; readonly column: string }
  | { readonly kind: 'add-constraint'; readonly constraint: ConstraintDef }
  | { readonly kind: 'validate-constraint' | 'drop-constraint'; readonly name: string }
  | { readonly kind: 'set-logged' | 'set-unlogged' | 'set-tablespace' }
  | { readonly kind: 'rename-column'; readonly from: string; readonly to: string }
  | { readonly kind: 'rename-table'; readonly to: string }
  | { readonly kind: 'other'; readonly lock: LockMode };

export type Action =
  | {
      readonly kind: 'create-table';
      readonly table: string;
      readonly columns: readonly ColumnDef[];
      readonly constraints: readonly ConstraintDef[];
      /** Tables its foreign keys point at. */
      readonly references: readonly string[];
      /** Filled by a query (CREATE TABLE ... AS, SELECT INTO). */
      readonly fromQuery: boolean;
    }
  | { readonly kind: 'alter-table'; readonly table: string; readonly actions: readonly AlterAction[] }
  | {
      readonly kind: 'create-index';
      readonly table: string;
      readonly name?: string;
      readonly concurrently: boolean;
      readonly unique: boolean;
      readonly columns: readonly string[];
      /** Offset in the statement just after `INDEX`, where CONCURRENTLY goes. */
      readonly insertAt: number;
    }
  | { readonly kind: 'drop-index'; readonly names: readonly string[]; readonly concurrently: boolean }
  | { readonly kind: 'reindex'; readonly target: string; readonly name: string; readonly concurrently: boolean }
  | { readonly kind: 'drop-table' | 'truncate'; readonly tables: readonly string[] }
  | { readonly kind: 'vacuum-full'; readonly tables: readonly string[] }
  | { readonly kind: 'cluster'; readonly table?: string }
  | { readonly kind: 'refresh-view'; readonly name: string; readonly concurrently: boolean }
  | { readonly kind: 'update' | 'delete'; readonly table: string; readonly where?: Where; readonly setText: string }
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'do'; readonly body: string }
  | { readonly kind: 'lock'; readonly tables: readonly string[]; readonly mode: LockMode }
  | { readonly kind: 'create-trigger'; readonly table: string }
  | { readonly kind: 'add-enum-value'; readonly type: string }
  | { readonly kind: 'other'; readonly head: string; readonly tables: readonly { table: string; mode: LockMode }[] };

/** A WHERE clause: its text, and whether it picks rows by key (`id = 42`, `id IN (...)`) only. */
export interface Where {
  readonly text: string;
  /** The columns compared with `=` or `IN` when those comparisons, ANDed, are all it does. */
  readonly pointColumns: readonly string[];
  /** A range of one column (`BETWEEN`, `<`, `>`): one batch. */
  readonly range: boolean;
}

/** PostgreSQL's table lock modes, weakest first. */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];
export const lockRank = (mode: LockMode): number => LOCK_MODES.indexOf(mode) + 1;
/** SHARE and above stop writes; ACCESS EXCLUSIVE stops reads too. */
export const blocksWrites = (mode: LockMode): boolean => lockRank(mode) >= lockRank('SHARE');

/** A relation name as PostgreSQL would resolve it with the default search_path: `public.` dropped. */
export const relationKey = (name: string): string => (name.startsWith('public.') ? name.slice(7) : name);

class Cursor {
  i = 0;
  constructor(
    readonly t: readonly Token[],
    readonly sql: string,
  ) {}
  get done(): boolean {
    return this.i >= this.t.length;
  }
  peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }
  is(...words: string[]): boolean {
    return words.every((w, k) => this.t[this.i + k]?.upper === w && this.t[this.i + k]?.kind !== 'ident');
  }
  eat(...words: string[]): boolean {
    if (!this.is(...words)) return false;
    this.i += words.length;
    return true;
  }
  /** A possibly qualified name: `a`, `a.b`, `"A".b`. */
  name(): string {
    const parts: string[] = [];
    for (;;) {
      const t = this.t[this.i];
      if (!t || (t.kind !== 'word' && t.kind !== 'ident')) break;
      parts.push(folded(t));
      this.i++;
      if (this.t[this.i]?.text !== '.') break;
      this.i++;
    }
    return parts.join('.');
  }
  /** Skips to the end of the current item: the next comma (or end) at this depth. */
  skipItem(depth: number): void {
    while (!this.done) {
      const t = this.t[this.i]!;
      if (t.depth === depth && t.text === ',' && t.kind === 'punct') return;
      if (t.depth < depth) return;
      this.i++;
    }
  }
  /** The text from token `from` up to (not including) the current token. */
  textFrom(from: number): string {
    const start = this.t[from]?.offset ?? this.sql.length;
    const end = this.t[this.i]?.offset ?? this.sql.length;
    return this.sql.slice(start, end).trim();
  }
  /** The tokens of a parenthesised group starting here, as text; the cursor moves past it. */
  group(): string {
    const open = this.t[this.i];
    if (open?.text !== '(') return '';
    const from = this.i;
    this.i++;
    while (!this.done && !(this.t[this.i]!.text === ')' && this.t[this.i]!.depth === open.depth)) this.i++;
    this.i++;
    return this.textFrom(from);
  }
}

/** What a statement does; `other` with its first words when not one of the shapes the rules look at. */
export function parseStatement(sql: string): Action {
  const c = new Cursor(tokenize(sql), sql);
  const head = c.t
    .slice(0, 3)
    .map((t) => t.upper)
    .join(' ');
  if (c.eat('ALTER', 'TABLE')) return alterTable(c);
  if (c.is('CREATE')) return create(c, head);
  if (c.eat('DROP', 'TABLE')) {
    c.eat('IF', 'EXISTS');
    return { kind: 'drop-table', tables: names(c) };
  }
  if (c.eat('DROP', 'INDEX')) {
    const concurrently = c.eat('CONCURRENTLY');
    c.eat('IF', 'EXISTS');
    return { kind: 'drop-index', names: names(c), concurrently };
  }
  if (c.eat('TRUNCATE')) {
    c.eat('TABLE');
    c.eat('ONLY');
    return { kind: 'truncate', tables: names(c) };
  }
  if (c.eat('REINDEX')) return reindex(c);
  if (c.eat('VACUUM')) return vacuum(c, head);
  if (c.eat('CLUSTER')) {
    c.eat('VERBOSE');
    const table = c.name();
    return table ? { kind: 'cluster', table } : { kind: 'cluster' };
  }
  if (c.eat('REFRESH', 'MATERIALIZED', 'VIEW')) {
    const concurrently = c.eat('CONCURRENTLY');
    return { kind: 'refresh-view', name: c.name(), concurrently };
  }
  if (c.is('UPDATE') || c.is('DELETE')) return dml(c);
  if (c.is('SET') || c.is('SELECT')) return setting(c, head);
  if (c.eat('DO')) {
    c.eat('LANGUAGE');
    const body = c.t.find((t) => t.kind === 'string');
    return { kind: 'do', body: body?.text ?? '' };
  }
  if (c.eat('LOCK')) return lock(c);
  if (c.eat('ALTER', 'TYPE')) {
    const type = c.name();
    if (c.is('ADD', 'VALUE')) return { kind: 'add-enum-value', type };
  }
  if (c.eat('COMMENT') || c.eat('GRANT') || c.eat('REVOKE') || c.eat('ANALYZE')) return { kind: 'other', head, tables: [] };
  if (c.eat('ALTER', 'INDEX')) return { kind: 'other', head, tables: [] };
  if (c.eat('DROP', 'TRIGGER') || c.eat('DROP', 'POLICY') || c.eat('ALTER', 'POLICY')) {
    c.eat('IF', 'EXISTS');
    c.name();
    return c.eat('ON')
      ? { kind: 'other', head, tables: [{ table: c.name(), mode: 'ACCESS EXCLUSIVE' }] }
      : { kind: 'other', head, tables: [] };
  }
  return { kind: 'other', head, tables: [] };
}

function names(c: Cursor): string[] {
  const list: string[] = [];
  for (;;) {
    c.eat('ONLY');
    const name = c.name();
    if (!name) break;
    list.push(name);
    if (c.peek()?.text === '*') c.i++;
    if (c.peek()?.text !== ',') break;
    c.i++;
  }
  return list;
}

function create(c: Cursor, head: string): Action {
  c.eat('CREATE');
  c.eat('OR', 'REPLACE');
  const unique = c.eat('UNIQUE');
  if (c.eat('INDEX')) {
    const insertAt = c.t[c.i - 1]!.offset + 'INDEX'.length;
    const concurrently = c.eat('CONCURRENTLY');
    c.eat('IF', 'NOT', 'EXISTS');
    const name = c.is('ON') ? undefined : c.name();
    c.eat('ON');
    c.eat('ONLY');
    const table = c.name();
    if (c.eat('USING')) c.name();
    const columns = groupNames(c);
    return { kind: 'create-index', table, concurrently, unique, columns, insertAt, ...(name ? { name } : {}) };
  }
  if (c.eat('TRIGGER') || c.eat('CONSTRAINT', 'TRIGGER')) {
    while (!c.done && !c.is('ON')) c.i++;
    c.eat('ON');
    return { kind: 'create-trigger', table: c.name() };
  }
  if (c.eat('POLICY')) {
    c.name();
    c.eat('ON');
    return { kind: 'other', head, tables: [{ table: c.name(), mode: 'ACCESS EXCLUSIVE' }] };
  }
  for (const w of ['GLOBAL', 'LOCAL', 'TEMPORARY', 'TEMP', 'UNLOGGED']) c.eat(w);
  if (!c.eat('TABLE')) return { kind: 'other', head, tables: [] };
  c.eat('IF', 'NOT', 'EXISTS');
  const table = c.name();
  if (c.is('AS') || c.is('PARTITION', 'OF') || c.peek()?.text !== '(') {
    const partitionOf = c.eat('PARTITION', 'OF') ? c.name() : undefined;
    // A partition takes ACCESS EXCLUSIVE on its parent; a table from a query is filled by it.
    if (partitionOf) return { kind: 'other', head, tables: [{ table: partitionOf, mode: 'ACCESS EXCLUSIVE' }] };
    return { kind: 'create-table', table, columns: [], constraints: [], references: [], fromQuery: true };
  }
  const columns: ColumnDef[] = [];
  const constraints: ConstraintDef[] = [];
  const depth = c.peek()!.depth + 1;
  c.i++;
  while (!c.done && c.peek()!.depth >= depth) {
    if (c.peek()!.text === ',') {
      c.i++;
      continue;
    }
    if (c.is('CONSTRAINT') || c.is('CHECK') || c.is('UNIQUE') || c.is('PRIMARY') || c.is('FOREIGN') || c.is('EXCLUDE')) {
      const k = constraint(c, depth);
      if (k) constraints.push(k);
    } else if (c.is('LIKE')) {
      c.skipItem(depth);
    } else {
      columns.push(column(c, depth));
    }
  }
  const references = [
    ...columns.flatMap((col) => (col.references ? [col.references] : [])),
    ...constraints.flatMap((k) => (k.references ? [k.references] : [])),
  ];
  return { kind: 'create-table', table, columns, constraints, references, fromQuery: false };
}

const TYPE_STOP = new Set([
  'NOT',
  'NULL',
  'DEFAULT',
  'PRIMARY',
  'UNIQUE',
  'REFERENCES',
  'CHECK',
  'CONSTRAINT',
  'GENERATED',
  'COLLATE',
  'USING',
  'COMPRESSION',
  'STORAGE',
]);

/** A type as written, lower-cased with single spaces: `character varying(20)`, `numeric(10,2)`, `int[]`. */
function typeName(c: Cursor, depth: number): string {
  const from = c.i;
  while (!c.done) {
    const t = c.peek()!;
    if (t.depth < depth || (t.depth === depth && t.text === ',')) break;
    if (t.depth === depth && t.kind === 'word' && TYPE_STOP.has(t.upper)) break;
    if (t.text === ';') break;
    c.i++;
  }
  return c
    .textFrom(from)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),[\]])\s*/g, '$1');
}

function column(c: Cursor, depth: number): ColumnDef {
  const name = c.name();
  const type = typeName(c, depth);
  let notNull = false;
  let generatedStored = false;
  let identity = false;
  let primaryKey = false;
  let unique = false;
  let defaultText: string | undefined;
  let references: string | undefined;
  while (!c.done && c.peek()!.depth >= depth && !(c.peek()!.depth === depth && c.peek()!.text === ',')) {
    if (c.eat('NOT', 'NULL')) notNull = true;
    else if (c.eat('PRIMARY', 'KEY')) primaryKey = notNull = true;
    else if (c.eat('UNIQUE')) unique = true;
    else if (c.eat('REFERENCES')) references = c.name();
    else if (c.eat('DEFAULT')) {
      const from = c.i;
      while (!c.done) {
        const t = c.peek()!;
        if (t.depth < depth || (t.depth === depth && (t.text === ',' || (t.kind === 'word' && TYPE_STOP.has(t.upper))))) break;
        c.i++;
      }
      defaultText = c.textFrom(from);
    } else if (c.eat('GENERATED')) {
      if (c.is('ALWAYS', 'AS', 'IDENTITY') || c.is('BY', 'DEFAULT', 'AS', 'IDENTITY')) identity = true;
      else {
        while (!c.done && c.peek()!.text !== '(') c.i++;
        c.group();
        generatedStored = c.eat('STORED');
      }
    } else c.i++;
  }
  const serial = /^(small|big)?serial[248]?$/.test(type);
  return {
    name,
    type,
    notNull: notNull || serial || identity,
    generatedStored,
    identity: identity || serial,
    primaryKey,
    unique,
    ...(defaultText !== undefined && { default: defaultText }),
    ...(references && { references }),
  };
}

function constraint(c: Cursor, depth: number): ConstraintDef | undefined {
  const from = c.i;
  const name = c.eat('CONSTRAINT') ? c.name() : undefined;
  const body = c.i;
  let type: ConstraintType;
  let columns: string[] = [];
  let references: string | undefined;
  let notNullOf: string | undefined;
  let usingIndex: string | undefined;
  if (c.eat('CHECK')) {
    type = 'check';
    const group = c.group();
    const m = /^\(\s*\(?\s*("?[\w$]+"?)\s+IS\s+NOT\s+NULL\s*\)?\s*\)$/i.exec(group);
    if (m) notNullOf = m[1]!.startsWith('"') ? m[1]!.slice(1, -1) : m[1]!.toLowerCase();
  } else if (c.eat('UNIQUE') || c.eat('PRIMARY', 'KEY')) {
    type = c.t[c.i - 1]!.upper === 'KEY' ? 'primary-key' : 'unique';
    c.eat('NULLS', 'NOT', 'DISTINCT');
    c.eat('NULLS', 'DISTINCT');
    if (c.eat('USING', 'INDEX')) usingIndex = c.name();
    else columns = groupNames(c);
  } else if (c.eat('FOREIGN', 'KEY')) {
    type = 'foreign-key';
    columns = groupNames(c);
    if (c.eat('REFERENCES')) references = c.name();
  } else if (c.eat('EXCLUDE')) {
    type = 'exclude';
  } else {
    c.skipItem(depth);
    return undefined;
  }
  c.skipItem(depth);
  const notValid = c.t.slice(from, c.i).some((t, k, all) => t.upper === 'NOT' && all[k + 1]?.upper === 'VALID');
  const text = c.sql.slice(c.t[body]?.offset ?? 0, c.t[c.i]?.offset ?? c.sql.length).trim();
  void from;
  return {
    type,
    notValid,
    columns,
    text,
    ...(name && { name }),
    ...(usingIndex && { usingIndex }),
    ...(references && { references }),
    ...(notNullOf && { notNullOf }),
  };
}

function groupNames(c: Cursor): string[] {
  if (c.peek()?.text !== '(') return [];
  const depth = c.peek()!.depth + 1;
  c.i++;
  const list: string[] = [];
  while (!c.done && c.peek()!.depth >= depth) {
    const t = c.peek()!;
    if ((t.kind === 'word' || t.kind === 'ident') && t.depth === depth) list.push(folded(t));
    c.i++;
    while (!c.done && c.peek()!.depth >= depth && c.peek()!.text !== ',') c.i++;
    if (c.peek()?.text === ',') c.i++;
  }
  if (c.peek()?.text === ')') c.i++;
  return list;
}

/** ALTER TABLE [IF EXISTS] [ONLY] name action [, ...]; RENAME and SET SCHEMA forms too. */
function alterTable(c: Cursor): Action {
  c.eat('IF', 'EXISTS');
  c.eat('ONLY');
  const table = c.name();
  if (c.peek()?.text === '*') c.i++;
  const actions: AlterAction[] = [];
  while (!c.done) {
    const at = c.peek()!.offset;
    actions.push({ ...alterAction(c), at });
    c.skipItem(0);
    if (c.peek()?.text === ',') c.i++;
  }
  return { kind: 'alter-table', table, actions };
}

function alterAction(c: Cursor): AlterKind {
  if (c.eat('RENAME')) {
    if (c.eat('TO')) return { kind: 'rename-table', to: c.name() };
    if (c.eat('CONSTRAINT')) return { kind: 'other', lock: 'ACCESS EXCLUSIVE' };
    c.eat('COLUMN');
    const from = c.name();
    c.eat('TO');
    return { kind: 'rename-column', from, to: c.name() };
  }
  if (c.eat('ADD')) {
    if (c.is('CONSTRAINT') || c.is('CHECK') || c.is('UNIQUE') || c.is('PRIMARY') || c.is('FOREIGN') || c.is('EXCLUDE')) {
      const k = constraint(c, 0);
      return k ? { kind: 'add-constraint', constraint: k } : { kind: 'other', lock: 'ACCESS EXCLUSIVE' };
    }
    c.eat('COLUMN');
    c.eat('IF', 'NOT', 'EXISTS');
    return { kind: 'add-column', column: column(c, 0) };
  }
  if (c.eat('DROP')) {
    if (c.eat('CONSTRAINT')) {
      c.eat('IF', 'EXISTS');
      return { kind: 'drop-constraint', name: c.name() };
    }
    c.eat('COLUMN');
    c.eat('IF', 'EXISTS');
    return { kind: 'drop-column', column: c.name() };
  }
  if (c.eat('VALIDATE', 'CONSTRAINT')) return { kind: 'validate-constraint', name: c.name() };
  if (c.eat('ALTER')) {
    c.eat('COLUMN');
    const col = c.name();
    if (c.eat('SET', 'DATA', 'TYPE') || c.eat('TYPE')) {
      const type = typeName(c, 0);
      if (c.eat('COLLATE')) c.name();
      return { kind: 'alter-type', column: col, type, using: c.is('USING') };
    }
    if (c.eat('SET', 'NOT', 'NULL')) return { kind: 'set-not-null', column: col };
    if (c.eat('DROP', 'NOT', 'NULL')) return { kind: 'drop-not-null', column: col };
    if (c.eat('SET', 'DEFAULT')) return { kind: 'set-default', column: col };
    if (c.eat('DROP', 'DEFAULT')) return { kind: 'drop-default', column: col };
    if (c.is('SET', 'STATISTICS') || c.is('SET', '(') || c.is('RESET')) return { kind: 'other', lock: 'SHARE UPDATE EXCLUSIVE' };
    if (c.peek(1)?.text === '(' && c.is('SET')) return { kind: 'other', lock: 'SHARE UPDATE EXCLUSIVE' };
    return { kind: 'other', lock: 'ACCESS EXCLUSIVE' };
  }
  if (c.eat('SET', 'LOGGED')) return { kind: 'set-logged' };
  if (c.eat('SET', 'UNLOGGED')) return { kind: 'set-unlogged' };
  if (c.eat('SET', 'TABLESPACE')) return { kind: 'set-tablespace' };
  // Storage parameters, statistics, clustering marks and attaching a partition let reads and writes go on.
  if (c.is('SET') && c.peek(1)?.text === '(') return { kind: 'other', lock: 'SHARE UPDATE EXCLUSIVE' };
  if (c.is('RESET') || c.is('CLUSTER', 'ON') || c.is('SET', 'WITHOUT', 'CLUSTER') || c.is('ATTACH', 'PARTITION'))
    return { kind: 'other', lock: 'SHARE UPDATE EXCLUSIVE' };
  if (c.is('DETACH', 'PARTITION') && c.t.some((t) => t.upper === 'CONCURRENTLY')) return { kind: 'other', lock: 'SHARE UPDATE EXCLUSIVE' };
  if (c.is('ENABLE', 'TRIGGER') || c.is('DISABLE', 'TRIGGER')) return { kind: 'other', lock: 'SHARE ROW EXCLUSIVE' };
  return { kind: 'other', lock: 'ACCESS EXCLUSIVE' };
}

function reindex(c: Cursor): Action {
  let concurrently = false;
  if (c.peek()?.text === '(') {
    concurrently = /\bCONCURRENTLY\b(?!\s+(false|off))/i.test(c.group());
  }
  const target = (c.peek()?.upper ?? '').toLowerCase();
  c.i++;
  if (c.eat('CONCURRENTLY')) concurrently = true;
  return { kind: 'reindex', target, name: c.name(), concurrently };
}

function vacuum(c: Cursor, head: string): Action {
  let full = false;
  if (c.peek()?.text === '(') full = /\bFULL\b(?!\s+(false|off))/i.test(c.group());
  while (c.is('FULL') || c.is('FREEZE') || c.is('VERBOSE') || c.is('ANALYZE')) {
    if (c.peek()!.upper === 'FULL') full = true;
    c.i++;
  }
  return full ? { kind: 'vacuum-full', tables: names(c) } : { kind: 'other', head, tables: [] };
}

function dml(c: Cursor): Action {
  const kind = c.eat('UPDATE') ? 'update' : (c.eat('DELETE'), c.eat('FROM'), 'delete');
  c.eat('ONLY');
  const table = c.name();
  const setFrom = c.i;
  const whereAt = c.t.findIndex((t, k) => k >= c.i && t.depth === 0 && t.upper === 'WHERE' && t.kind === 'word');
  const endAt = c.t.findIndex((t, k) => k > Math.max(whereAt, c.i) && t.depth === 0 && t.upper === 'RETURNING' && t.kind === 'word');
  const stop = endAt < 0 ? c.t.length : endAt;
  if (whereAt < 0) {
    c.i = stop;
    return { kind, table, setText: c.textFrom(setFrom) };
  }
  c.i = whereAt;
  const setText = c.textFrom(setFrom);
  c.i = stop;
  const whereTokens = c.t.slice(whereAt + 1, stop);
  const text = c.sql.slice(whereTokens[0]?.offset ?? 0, c.t[stop]?.offset ?? c.sql.length).trim();
  return { kind, table, setText, where: { text, ...whereShape(whereTokens) } };
}

/** `a = 1 AND b IN (...)` picks rows by those columns; `a BETWEEN x AND y`, `a < x` is a range. */
function whereShape(tokens: readonly Token[]): Pick<Where, 'pointColumns' | 'range'> {
  const top = tokens[0]?.depth ?? 0;
  const pointColumns: string[] = [];
  let range = false;
  let point = true;
  let k = 0;
  while (k < tokens.length) {
    const t = tokens[k]!;
    const op = tokens[k + 1];
    if ((t.kind === 'word' || t.kind === 'ident') && t.depth === top && op) {
      if (op.text === '=' && ['number', 'string'].includes(tokens[k + 2]?.kind ?? '') && isEnd(tokens, k + 3, top)) {
        pointColumns.push(folded(t));
        k += 3;
      } else if (op.upper === 'IN' && tokens[k + 2]?.text === '(' && !tokens.slice(k + 3).some((x) => x.upper === 'SELECT')) {
        pointColumns.push(folded(t));
        k += 3;
        while (k < tokens.length && tokens[k]!.depth > top) k++;
        if (tokens[k]?.text === ')') k++;
      } else if (op.upper === 'BETWEEN' || ['<', '>', '<=', '>='].includes(op.text)) {
        range = true;
        point = false;
        k += 2;
        while (k < tokens.length && !(tokens[k]!.depth === top && tokens[k]!.upper === 'AND' && op.upper !== 'BETWEEN')) k++;
        if (op.upper === 'BETWEEN') break;
      } else {
        point = false;
        break;
      }
    } else {
      point = false;
      break;
    }
    if (tokens[k]?.upper === 'AND') k++;
    else if (k < tokens.length) {
      point = false;
      break;
    }
  }
  return { pointColumns: point ? pointColumns : [], range };
}

const isEnd = (tokens: readonly Token[], k: number, top: number): boolean =>
  k >= tokens.length || (tokens[k]!.upper === 'AND' && tokens[k]!.depth === top);

function setting(c: Cursor, head: string): Action {
  if (c.eat('SET')) {
    if (!c.eat('SESSION')) c.eat('LOCAL');
    const name = c.name();
    if (!c.eat('TO') && c.peek()?.text === '=') c.i++;
    const value = c.peek()?.text ?? '';
    return { kind: 'set', name, value };
  }
  // SELECT set_config('lock_timeout', '5s', ...)
  const at = c.t.findIndex((t) => t.upper === 'SET_CONFIG');
  const name = c.t[at + 2];
  const value = c.t[at + 4];
  if (at > 0 && name?.kind === 'string' && value?.kind === 'string')
    return { kind: 'set', name: name.text.toLowerCase(), value: value.text };
  return { kind: 'other', head, tables: [] };
}

function lock(c: Cursor): Action {
  c.eat('TABLE');
  const tables = names(c);
  let mode: LockMode = 'ACCESS EXCLUSIVE';
  if (c.eat('IN')) {
    const from = c.i;
    while (!c.done && !c.is('MODE')) c.i++;
    const words = c.t
      .slice(from, c.i)
      .map((t) => t.upper)
      .join(' ');
    mode = LOCK_MODES.find((m) => m === words) ?? mode;
  }
  return { kind: 'lock', tables, mode };
}
