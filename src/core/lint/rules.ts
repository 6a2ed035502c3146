/**
 * The lint rules' names, families and levels at the path the library's API
 * has imported them from; the rules themselves are rules/<rule>.ts, listed in
 * registry.ts.
 */
export { RULES, RULE_NAMES, isRuleName, type Family, type Hazard, type Level, type RuleInfo, type RuleName } from './registry.js';
