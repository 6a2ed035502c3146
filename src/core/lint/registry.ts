/**
 * The lint's rules, in the order `pgshift lint --rules` lists them: each is
 * one module in rules/ (squawk's `Rule` enum, ESLint's rule index). Adding a
 * rule is its file and one line here; names, levels and the hazard union
 * follow from the list.
 */
import type { Advice, AdviceInput, Family, Level, Rule } from './rule.js';
import { addAutoIncrementColumn } from './rules/add-auto-increment-column.js';
import { addCheck } from './rules/add-check.js';
import { addColumnDefault } from './rules/add-column-default.js';
import { addForeignKey } from './rules/add-foreign-key.js';
import { addRequiredColumn } from './rules/add-required-column.js';
import { addStoredGeneratedColumn } from './rules/add-stored-generated-column.js';
import { addUniqueConstraint } from './rules/add-unique-constraint.js';
import { alterDomainConstraint } from './rules/alter-domain-constraint.js';
import { attachPartition } from './rules/attach-partition.js';
import { refreshMaterializedView } from './rules/refresh-materialized-view.js';
import { cluster } from './rules/cluster.js';
import { columnTypeRewrite } from './rules/column-type-rewrite.js';
import { createIndex } from './rules/create-index.js';
import { dropColumn } from './rules/drop-column.js';
import { dropIndex } from './rules/drop-index.js';
import { dropTable } from './rules/drop-table.js';
import { enumValueInTransaction } from './rules/enum-value-in-transaction.js';
import { lockTimeout } from './rules/lock-timeout.js';
import { narrowColumnType } from './rules/narrow-column-type.js';
import { notAnalysed } from './rules/not-analysed.js';
import { observedRewrite } from './rules/observed-rewrite.js';
import { measuredHazard } from './rules/measured-hazard.js';
import { primaryKeyNullable } from './rules/primary-key-nullable.js';
import { reindex } from './rules/reindex.js';
import { renameColumn } from './rules/rename-column.js';
import { renameTable } from './rules/rename-table.js';
import { setLogged } from './rules/set-logged.js';
import { setNotNull } from './rules/set-not-null.js';
import { setTablespace } from './rules/set-tablespace.js';
import { truncate } from './rules/truncate.js';
import { unbatchedDml } from './rules/unbatched-dml.js';
import { vacuumFull } from './rules/vacuum-full.js';
import { validateInSameTransaction } from './rules/validate-in-same-transaction.js';
import { volatileDefault } from './rules/volatile-default.js';

export type { Family, Level } from './rule.js';

export const RULE_LIST = [
  volatileDefault,
  addColumnDefault,
  addAutoIncrementColumn,
  addStoredGeneratedColumn,
  columnTypeRewrite,
  setLogged,
  setTablespace,
  vacuumFull,
  cluster,
  setNotNull,
  addCheck,
  addForeignKey,
  validateInSameTransaction,
  primaryKeyNullable,
  createIndex,
  dropIndex,
  reindex,
  addUniqueConstraint,
  refreshMaterializedView,
  alterDomainConstraint,
  attachPartition,
  dropTable,
  dropColumn,
  renameTable,
  renameColumn,
  narrowColumnType,
  truncate,
  addRequiredColumn,
  lockTimeout,
  unbatchedDml,
  enumValueInTransaction,
  notAnalysed,
  observedRewrite,
  measuredHazard,
] as const;

type AnyRule = (typeof RULE_LIST)[number];
type HazardOf<R> = R extends { advise(hazard: infer H, input: AdviceInput): Advice } ? H : never;
export type RuleName = AnyRule['meta']['name'];
/** One hazard of one statement, before words and levels: any rule's, told apart by `rule`. */
export type Hazard = HazardOf<AnyRule>;

/** What `pgshift lint --rules` and the library show of a rule. */
export interface RuleInfo {
  readonly family: Family;
  readonly level: Level;
  /** What it catches, for `pgshift lint --rules` and the README. */
  readonly summary: string;
}

export const RULES: { readonly [Name in RuleName]: RuleInfo } = Object.fromEntries(
  RULE_LIST.map(({ meta }) => [meta.name, { family: meta.family, level: meta.level, summary: meta.summary }]),
) as { readonly [Name in RuleName]: RuleInfo };
export const RULE_NAMES: readonly RuleName[] = RULE_LIST.map((r) => r.meta.name);
export { isRuleName } from './rule-names.js';

const BY_NAME = new Map<string, Rule<Hazard>>(RULE_LIST.map((r) => [r.meta.name, r]));

/** The rule a hazard is of. */
export const ruleOf = (name: RuleName): Rule<Hazard> => BY_NAME.get(name)!;

/** A hazard's words and safe SQL, from its rule. */
export const advise = (hazard: Hazard, input: AdviceInput): Advice => ruleOf(hazard.rule).advise(hazard, input);
