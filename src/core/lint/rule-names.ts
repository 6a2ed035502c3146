/**
 * The rules' names alone, to check settings (a config file's or the
 * library's `lint.rules`, an acknowledgement's rule) without loading the
 * rules: every command reads the settings, few run the lint. The
 * `satisfies` keeps this list and registry.ts's rules the same set: a rule
 * missing here, or a name here that no rule has, does not compile.
 */
import type { RuleName } from './registry.js';

const NAMES = {
  'add-auto-increment-column': true,
  'add-check': true,
  'add-column-default': true,
  'add-foreign-key': true,
  'add-required-column': true,
  'add-stored-generated-column': true,
  'add-unique-constraint': true,
  'alter-domain-constraint': true,
  'attach-partition': true,
  cluster: true,
  'column-type-rewrite': true,
  'create-index': true,
  'drop-column': true,
  'drop-index': true,
  'drop-table': true,
  'enum-value-in-transaction': true,
  'lock-timeout': true,
  'measured-hazard': true,
  'narrow-column-type': true,
  'not-analysed': true,
  'observed-rewrite': true,
  'primary-key-nullable': true,
  'refresh-materialized-view': true,
  reindex: true,
  'rename-column': true,
  'rename-table': true,
  'set-logged': true,
  'set-not-null': true,
  'set-tablespace': true,
  truncate: true,
  'unbatched-dml': true,
  'vacuum-full': true,
  'validate-in-same-transaction': true,
  'volatile-default': true,
} as const satisfies Record<RuleName, true>;

export const isRuleName = (name: string): name is RuleName => Object.hasOwn(NAMES, name);
