/**
 * How the lint runs: its mode, per-rule levels and the PostgreSQL major it
 * assumes when no server says. The same shape comes from the library's
 * options, the CLI's flags and the `lint` object of a config file; each is
 * checked here, every bad entry reported at once.
 */
import { isPostgresMajor, postgresMajorMessage } from '../postgres-version.js';
import { problem, type Problem } from '../problem.js';
import type { LintMode, RuleSetting } from './lint.js';
import type { RuleName } from './registry.js';
import { isRuleName } from './rule-names.js';

export interface LintSettings {
  /** `warn` (default): error-level findings fail; `error`: warnings fail too; `off`: no lint. */
  readonly mode?: LintMode | undefined;
  /** Per-rule levels over the defaults: `error`, `warning` or `off`. */
  readonly rules?: Readonly<Partial<Record<RuleName, RuleSetting>>> | undefined;
  /** The PostgreSQL major the migrations will run on, when no server says (default 14, the oldest supported). */
  readonly postgresVersion?: number | undefined;
}

/** The oldest PostgreSQL major still supported upstream: what the lint assumes when nothing says. */
export const DEFAULT_TARGET_MAJOR = 14;

const MODES: readonly string[] = ['error', 'warn', 'off'];
const LEVELS: readonly string[] = ['error', 'warning', 'off'];

/** The problems with lint settings, each naming `where` they came from (`pgshift.json`, the lint option). */
export function lintSettingsProblems(value: unknown, where: string): Problem[] {
  if (value === undefined) return [];
  const bad = (message: string, hint: string) => problem('INVALID_OPTION', `${where}: ${message}`, { hint });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [bad('lint must be an object', 'write { "mode": "warn", "rules": { "<rule>": "off" } }')];
  const v = value as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(v))
    if (!['mode', 'rules', 'postgresVersion'].includes(key))
      problems.push(bad(`unknown lint setting "${key}"`, 'the lint settings are mode, rules and postgresVersion'));
  if (v['mode'] !== undefined && !MODES.includes(String(v['mode'])))
    problems.push(bad(`lint mode must be error, warn or off, got ${JSON.stringify(v['mode'])}`, 'use error, warn or off'));
  const major = v['postgresVersion'];
  if (major !== undefined && !isPostgresMajor(major))
    problems.push(bad(postgresMajorMessage('postgresVersion', major), 'give the major release the migrations will run on'));
  const rules = v['rules'];
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
      problems.push(bad('rules must be an object of rule names to levels', 'write { "drop-column": "off" }'));
    else
      for (const [name, level] of Object.entries(rules)) {
        if (!isRuleName(name)) problems.push(bad(`no lint rule is named "${name}"`, 'pgshift lint --rules lists the rules'));
        else if (!LEVELS.includes(String(level)))
          problems.push(
            bad(`rule ${name}: the level must be error, warning or off, got ${JSON.stringify(level)}`, 'use error, warning or off'),
          );
      }
  }
  return problems;
}
