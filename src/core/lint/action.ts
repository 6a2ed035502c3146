/**
 * What one statement does, as far as the lint rules must know: which
 * relations it touches, how (add a column with a default, change a type,
 * build an index...), and the parts of its text a safe rewrite reuses.
 * src/sql/describe.ts makes one from the statement's node as PostgreSQL's
 * own parser reads it; statements the rules do not look at are `other`.
 */

export interface ColumnDef {
  readonly name: string;
  /** As written, lower-cased, spaces normalised: `varchar(20)`, `bigint`. */
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression as written, if any. */
  readonly default?: string;
  /** The functions the default calls, as written (`random`, `pg_catalog.now`, `app.next_code`). */
  readonly defaultCalls?: readonly string[];
  readonly generatedStored: boolean;
  readonly identity: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly references?: string;
  /** Its column constraints the rules weigh (CHECK, REFERENCES, UNIQUE, PRIMARY KEY), as table constraints on it. */
  readonly constraints?: readonly ConstraintDef[];
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
  | { readonly kind: 'attach-partition'; readonly partition: string }
  | { readonly kind: 'other'; readonly lock: LockMode };

export type Action =
  | {
      readonly kind: 'create-table';
      readonly table: string;
      readonly columns: readonly ColumnDef[];
      readonly constraints: readonly ConstraintDef[];
      /** Tables its foreign keys point at. */
      readonly references: readonly string[];
      /** Filled by a query (CREATE TABLE ... AS, SELECT INTO, CREATE MATERIALIZED VIEW). */
      readonly fromQuery: boolean;
      /** PARTITION BY: it holds no rows of its own. */
      readonly partitioned?: boolean;
      /** IF NOT EXISTS: a table that exists is left as it is. */
      readonly ifNotExists?: boolean;
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
      /** ON ONLY the table: on a partitioned table, an index of the parent alone, built on no partition. */
      readonly only: boolean;
      readonly ifNotExists: boolean;
      /** A partial index (WHERE ...) or one on expressions: unique, it does not make `columns` a key. */
      readonly partial: boolean;
    }
  | { readonly kind: 'drop-index'; readonly names: readonly string[]; readonly concurrently: boolean }
  | { readonly kind: 'reindex'; readonly target: string; readonly name: string; readonly concurrently: boolean }
  | { readonly kind: 'drop-table' | 'truncate'; readonly tables: readonly string[] }
  | { readonly kind: 'vacuum-full'; readonly tables: readonly string[] }
  | { readonly kind: 'cluster'; readonly table?: string }
  | { readonly kind: 'refresh-view'; readonly name: string; readonly concurrently: boolean }
  | { readonly kind: 'update' | 'delete'; readonly table: string; readonly where?: Where; readonly setText: string }
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  /** A DO block, its statements read by PostgreSQL's PL/pgSQL parser. */
  | ({ readonly kind: 'do' } & Body)
  /** CREATE FUNCTION or PROCEDURE: its body runs only when called. */
  | ({
      readonly kind: 'create-routine';
      readonly name: string;
      /** Declared VOLATILE (PostgreSQL's default), not STABLE or IMMUTABLE. */
      readonly volatile: boolean;
      /**
       * For a LANGUAGE sql function of one `SELECT expression`, which the
       * planner inlines: the functions the expression calls, which decide
       * whether a call of it is volatile, whatever it declares.
       */
      readonly inlined?: readonly string[];
    } & Body)
  /** CALL p(...), or a SELECT or PERFORM of functions: the routines it runs, as written. */
  | { readonly kind: 'call'; readonly routines: readonly string[] }
  | { readonly kind: 'lock'; readonly tables: readonly string[]; readonly mode: LockMode }
  | { readonly kind: 'create-trigger'; readonly table: string }
  | { readonly kind: 'add-enum-value'; readonly type: string }
  /** ALTER DOMAIN: `checksValues` when it adds a constraint (not NOT VALID) or NOT NULL that every stored value must meet. */
  | { readonly kind: 'alter-domain'; readonly domain: string; readonly checksValues: boolean }
  /** A statement with data-modifying WITH queries: each of them, then the statement itself. */
  | { readonly kind: 'compound'; readonly actions: readonly BodyStatement[] }
  | { readonly kind: 'other'; readonly tables: readonly { table: string; mode: LockMode }[] };

/** The statements of a routine or DO block, and what of it could not be read. */
export interface Body {
  readonly actions: readonly BodyStatement[];
  /** Why parts of it are not analysed: `EXECUTE of SQL built at run time (line 4)`, `a LANGUAGE plperl body`. */
  readonly unanalysed: readonly string[];
}

/** A statement inside a body, with where it starts in the statement that holds it (1-based). */
export interface BodyStatement {
  readonly action: Action;
  readonly sql: string;
  readonly line: number;
  readonly column: number;
}

/** What a statement does, from its text: the lint's view of PostgreSQL's parse tree (src/sql/describe.ts). */
export type Describe = (sql: string) => Action;

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
