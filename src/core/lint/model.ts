/**
 * What the lint rules know of the schema a migration runs on: the tables
 * with their columns (type, NOT NULL), validated CHECKs that prove a column
 * not null, primary-key columns, which table each index is on, and which
 * tables are new in this deploy (created by this migration or an earlier new
 * one: empty, so locking them blocks nobody). Filled from the migrations
 * that come before (their DDL, read statically), or from a catalog snapshot
 * of the base schema, which the engine converts to {@link SchemaFacts}.
 */
import { relationKey, type Action, type Body, type BodyStatement, type ColumnDef } from './action.js';

export interface ColumnFacts {
  readonly type: string;
  readonly notNull: boolean;
}

export interface TableFacts {
  readonly columns: Readonly<Record<string, ColumnFacts>>;
  /** Columns a validated `CHECK (col IS NOT NULL)` covers. */
  readonly checkedNotNull: readonly string[];
  readonly primaryKey: readonly string[];
  /** Sets of columns a primary key, a UNIQUE constraint or a unique index (not partial) makes unique. */
  readonly uniqueKeys?: readonly (readonly string[])[];
  /** PARTITION BY: it holds no rows of its own. */
  readonly partitioned?: boolean;
  /** Estimated rows and bytes, from a production catalog. */
  readonly rows?: number;
  readonly bytes?: number;
}

/** Schema facts from a catalog: tables by name (`orders`, `sales.orders`), indexes → their table. */
export interface SchemaFacts {
  readonly tables: Readonly<Record<string, TableFacts>>;
  readonly indexes: Readonly<Record<string, { readonly table: string; readonly columns: readonly string[] }>>;
  /** The functions and procedures, as CREATE statements (pg_get_functiondef): what a call of one runs. */
  readonly routines?: readonly string[];
}

/** A function or procedure the migrations (or the catalog) defined. */
export type RoutineFacts = Body & { readonly volatile: boolean; readonly inlined?: readonly string[] };

interface MutableTable {
  columns: Map<string, { type: string; notNull: boolean }>;
  checkedNotNull: Set<string>;
  /** CHECK constraints added NOT VALID, by name, with the column they would prove not null. */
  pendingChecks: Map<string, string | undefined>;
  primaryKey: string[];
  uniqueKeys: (readonly string[])[];
  partitioned?: boolean;
  rows?: number;
  bytes?: number;
}

export class SchemaModel {
  private readonly tables = new Map<string, MutableTable>();
  private readonly indexes = new Map<string, string>();
  private readonly indexColumnsOf = new Map<string, readonly string[]>();
  /** Tables created in this deploy: empty when the migration runs. */
  private readonly fresh = new Set<string>();
  /** The functions and procedures the migrations defined, by name: what a call of one runs. */
  private readonly routines = new Map<string, RoutineFacts>();

  static from(facts?: SchemaFacts): SchemaModel {
    const model = new SchemaModel();
    for (const [name, t] of Object.entries(facts?.tables ?? {})) {
      model.tables.set(relationKey(name), {
        columns: new Map(Object.entries(t.columns).map(([k, v]) => [k, { ...v }])),
        checkedNotNull: new Set(t.checkedNotNull),
        pendingChecks: new Map(),
        primaryKey: [...t.primaryKey],
        uniqueKeys: [...(t.uniqueKeys ?? [])],
        ...(t.partitioned && { partitioned: true }),
        ...(t.rows !== undefined && { rows: t.rows }),
        ...(t.bytes !== undefined && { bytes: t.bytes }),
      });
    }
    for (const [index, i] of Object.entries(facts?.indexes ?? {})) {
      model.indexes.set(relationKey(index), relationKey(i.table));
      model.indexColumnsOf.set(relationKey(index), i.columns);
    }
    return model;
  }

  /** True when the table was created in this deploy, so it holds no rows anyone waits for. */
  isNew(table: string): boolean {
    return this.fresh.has(relationKey(table));
  }

  /** Which of several tables a finding names: the first one in use (not new in this deploy), else the first. */
  firstInUse(tables: readonly string[]): string | undefined {
    return tables.find((t) => !this.isNew(t)) ?? tables[0];
  }

  table(name: string): Readonly<MutableTable> | undefined {
    return this.tables.get(relationKey(name));
  }

  column(table: string, column: string): ColumnFacts | undefined {
    return this.tables.get(relationKey(table))?.columns.get(column);
  }

  /** The table an index is on, when known. */
  indexTable(index: string): string | undefined {
    return this.indexes.get(relationKey(index));
  }

  /** The columns an index covers, when its definition was seen. */
  indexColumns(index: string): readonly string[] | undefined {
    return this.indexColumnsOf.get(relationKey(index));
  }

  /** A check that proves the column not null, validated (or added with VALIDATE later in the same file). */
  provesNotNull(table: string, column: string): boolean {
    return this.tables.get(relationKey(table))?.checkedNotNull.has(column) ?? false;
  }

  /** Whether a NOT VALID constraint of this name was added earlier in the current transaction. */
  pendingCheck(table: string, name: string): boolean {
    return this.tables.get(relationKey(table))?.pendingChecks.has(name) ?? false;
  }

  /** A routine the migrations defined, when known. */
  routine(name: string): RoutineFacts | undefined {
    return this.routines.get(relationKey(name));
  }

  /** The tables with a column of this type (a domain's, an enum's), as the model knows them. */
  tablesUsingType(type: string): string[] {
    const name = relationKey(type);
    const found: string[] = [];
    for (const [table, t] of this.tables)
      for (const c of t.columns.values()) if (relationKey(c.type.replace(/\[\]$/, '')) === name) found.push(table);
    return [...new Set(found)];
  }

  /** True when the table is partitioned: it holds no rows of its own. */
  isPartitioned(table: string): boolean {
    return this.tables.get(relationKey(table))?.partitioned === true;
  }

  /** The statements a statement runs besides itself: a DO block's or a WITH query's, or those of the routines it calls that are known. */
  bodyOf(action: Action): readonly BodyStatement[] {
    if (action.kind === 'do' || action.kind === 'compound') return action.actions;
    if (action.kind === 'call') return action.routines.flatMap((r) => this.routine(r)?.actions ?? []);
    return [];
  }

  /** Starts a new deploy: tables created by earlier ones are no longer new. */
  deploy(): void {
    this.fresh.clear();
  }

  /** Ends a transaction: NOT VALID constraints added in it are no longer "just added". */
  commit(): void {
    for (const t of this.tables.values()) t.pendingChecks.clear();
  }

  /** Records what a statement did; `deploy` says whether it runs in this deploy (tables it creates are new). */
  apply(action: Action, deploy: boolean): void {
    switch (action.kind) {
      case 'create-table': {
        const key = relationKey(action.table);
        if (action.ifNotExists && this.tables.has(key)) break;
        const t: MutableTable = { columns: new Map(), checkedNotNull: new Set(), pendingChecks: new Map(), primaryKey: [], uniqueKeys: [] };
        if (action.partitioned) t.partitioned = true;
        for (const col of action.columns) this.addColumn(t, col);
        for (const k of action.constraints) {
          if (k.type === 'primary-key' || k.type === 'unique') t.uniqueKeys.push(k.columns);
          if (k.type === 'primary-key') t.primaryKey = [...k.columns];
          if (k.type === 'check' && k.notNullOf && !k.notValid) t.checkedNotNull.add(k.notNullOf);
        }
        this.tables.set(key, t);
        if (deploy) this.fresh.add(key);
        break;
      }
      case 'alter-table': {
        const key = relationKey(action.table);
        let t = this.tables.get(key);
        if (!t) {
          t = { columns: new Map(), checkedNotNull: new Set(), pendingChecks: new Map(), primaryKey: [], uniqueKeys: [] };
          this.tables.set(key, t);
        }
        for (const a of action.actions) {
          if (a.kind === 'add-column') this.addColumn(t, a.column);
          else if (a.kind === 'drop-column') t.columns.delete(a.column);
          else if (a.kind === 'alter-type') {
            const col = t.columns.get(a.column);
            t.columns.set(a.column, { type: a.type, notNull: col?.notNull ?? false });
          } else if (a.kind === 'set-not-null' || a.kind === 'drop-not-null') {
            const col = t.columns.get(a.column);
            t.columns.set(a.column, { type: col?.type ?? '', notNull: a.kind === 'set-not-null' });
          } else if (a.kind === 'add-constraint') {
            const k = a.constraint;
            if (k.type === 'primary-key' || k.type === 'unique') t.uniqueKeys.push(k.columns);
            if (k.type === 'primary-key') t.primaryKey = [...k.columns];
            if (k.type === 'check' && k.notNullOf && !k.notValid) t.checkedNotNull.add(k.notNullOf);
            if (k.notValid && k.name) t.pendingChecks.set(k.name, k.notNullOf);
          } else if (a.kind === 'validate-constraint') {
            const proves = t.pendingChecks.get(a.name);
            if (proves) t.checkedNotNull.add(proves);
          } else if (a.kind === 'rename-column') {
            const col = t.columns.get(a.from);
            t.columns.delete(a.from);
            if (col) t.columns.set(a.to, col);
          } else if (a.kind === 'rename-table') {
            this.tables.delete(key);
            this.tables.set(relationKey(a.to), t);
            if (this.fresh.delete(key)) this.fresh.add(relationKey(a.to));
          }
        }
        break;
      }
      case 'create-index':
        if (action.unique && !action.partial) this.tables.get(relationKey(action.table))?.uniqueKeys.push(action.columns);
        if (action.name) {
          this.indexes.set(relationKey(action.name), relationKey(action.table));
          this.indexColumnsOf.set(relationKey(action.name), action.columns);
        }
        break;
      case 'create-routine':
        this.routines.set(relationKey(action.name), action);
        break;
      case 'drop-table':
        for (const name of action.tables) {
          this.tables.delete(relationKey(name));
          this.fresh.delete(relationKey(name));
        }
        break;
      default:
    }
  }

  private addColumn(t: MutableTable, col: ColumnDef): void {
    t.columns.set(col.name, { type: col.type, notNull: col.notNull });
    if (col.primaryKey) t.primaryKey = [col.name];
    if (col.primaryKey || col.unique) t.uniqueKeys.push([col.name]);
  }
}
