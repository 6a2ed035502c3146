/**
 * The shape of a lint rule, as ESLint's rule modules and squawk's
 * `rules/*.rs` have it: one file per rule (rules/<rule>.ts) holds its
 * metadata, what it looks for in a statement's parsed {@link Action} on the
 * schema it runs on, the hazard it reports (typed fields of its own) and the
 * words and safe SQL for it. registry.ts lists the rules.
 */
import type { Problem } from '../problem.js';
import type { Observation } from './evidence.js';
import type { SchemaModel } from './model.js';
import type { Action, AlterAction } from './action.js';

export type Family = 'rewrite' | 'scan-under-lock' | 'index-not-concurrent' | 'destructive' | 'no-lock-timeout' | 'unbatched-dml' | 'other';
export type Level = 'error' | 'warning';

/** A rule's metadata: what `pgshift lint --rules`, the config file and the README know of it. */
export interface RuleMeta<Name extends string = string> {
  readonly name: Name;
  readonly family: Family;
  /** The level it has unless the config says otherwise. */
  readonly level: Level;
  /** What it catches, for `pgshift lint --rules` and the README's rule table. */
  readonly summary: string;
  /** Where the README documents it: `README.md#<anchor>`. */
  readonly docs: string;
}

/** What every hazard has; a rule's own hazard type adds the facts its advice needs. */
export interface HazardBase<Name extends string = string> {
  readonly rule: Name;
  /** The table it is about, as written. */
  readonly table?: string;
  /** The offset in the statement of the part it is about (an ALTER TABLE action): the finding points at its line. */
  readonly at?: number;
  /** Why it is not a hazard after all, where the context clears it (reported as cleared, not as a finding). */
  readonly cleared?: string;
}

/** What a rule sees of one statement besides the statement itself. */
export interface StatementContext {
  readonly model: SchemaModel;
  /** The PostgreSQL major the migrations will run on. */
  readonly pgVersion: number;
  /** The migration runs in one transaction (not `-- pgshift:no-transaction`). */
  readonly inTransaction: boolean;
}

/** What a rule knows of the linted migration before its first statement. */
export interface MigrationScope {
  /** The lock_timeout pgshift runs it with, in ms (0: none). */
  readonly lockTimeoutMs: number;
}

/** `T`'s member of kind `K`: an action as a visitor for that kind gets it. */
export type OfKind<T extends { readonly kind: string }, K extends T['kind']> = T & { readonly kind: K };

/** Visitors by ALTER TABLE action kind, as ESLint's rule visitors are by node type. */
export type AlterVisitors<H> = {
  readonly [K in AlterAction['kind']]?: (table: string, action: OfKind<AlterAction, K>, ctx: StatementContext) => readonly H[];
};

/** Visitors by statement kind. */
export type StatementVisitors<H> = {
  readonly [K in Action['kind']]?: (action: OfKind<Action, K>, ctx: StatementContext) => readonly H[];
};

/** What a rule looks at; each visitor returns the hazards it finds there (none: an empty list). */
export interface Checks<H> {
  /** Each action of an ALTER TABLE, in the order written, by its kind. */
  readonly alter?: AlterVisitors<H>;
  /** Each statement, by its kind (an ALTER TABLE after its actions). */
  readonly statement?: StatementVisitors<H>;
  /** Each statement again once the others have reported: `reported` of them became findings on it. */
  readonly after?: (action: Action, ctx: StatementContext, reported: number) => readonly H[];
  /** What verify saw a statement do on the scratch server, with the findings the lint has on it. */
  readonly observed?: (seen: readonly Observation[], findings: readonly Problem[]) => readonly H[];
}

export interface Advice {
  readonly message: string;
  /** One sentence: what to do instead. */
  readonly instead: string;
  /** Ready SQL for it, in migration files (`-- UP` / `-- DOWN`), when there is a mechanical one. */
  readonly fix?: string;
}

export interface AdviceInput {
  /** The statement as written. */
  readonly sql: string;
  readonly pgVersion: number;
  /** The primary key column of the table, for batching. */
  readonly key: string;
}

interface RuleBase<H extends HazardBase> {
  readonly meta: RuleMeta<H['rule']>;
  /** The words of a finding, in the pattern of strong_migrations: what it blocks, then the safe way as SQL. */
  advise(hazard: H, input: AdviceInput): Advice;
}

/** A rule: its metadata, its checks and its advice. */
export type Rule<H extends HazardBase> = RuleBase<H> &
  (
    | {
        /** Its checks, when they keep nothing from one statement to the next. */
        readonly check: Checks<H>;
        readonly create?: undefined;
      }
    | {
        readonly check?: undefined;
        /** Its checks for one migration, when they keep state across its statements (in what this returns). */
        create(scope: MigrationScope): Checks<H>;
      }
  );

/** Where a hazard of an ALTER TABLE action is: its table and the action's offset. */
export const partOf = (table: string, action: AlterAction): { readonly table: string; readonly at?: number } =>
  action.at === undefined ? { table } : { table, at: action.at };

/** The README's section on the lint, which holds the rule table. */
/** Where a rule is documented: its row of the README's rule table, which carries an anchor of its name. */
export const ruleDocs = (name: string): string => `README.md#rule-${name}`;
