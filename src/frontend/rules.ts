/**
 * The lint's rules as the front ends show them: the list, and where each
 * is documented (the README section its metadata names, on the
 * repository's page).
 */
import { isRuleName } from '../core/lint/rules.js';
import { ruleOf } from '../core/lint/registry.js';

export { RULES, RULE_NAMES } from '../core/lint/rules.js';

/** The repository's page, which shows the README: package.json's `homepage` without its `#readme`. */
export const REPOSITORY_URL = 'https://github.com/pgshift/pgshift';

/**
 * The web address of a rule's section of the README
 * (`https://github.com/pgshift/pgshift#lint`), or undefined for a name that
 * is no rule's.
 */
export function ruleDocsUrl(rule: string): string | undefined {
  if (!isRuleName(rule)) return undefined;
  const docs = ruleOf(rule).meta.docs;
  const anchor = docs.slice(docs.indexOf('#') + 1);
  return docs.includes('#') && anchor !== '' ? `${REPOSITORY_URL}#${anchor}` : REPOSITORY_URL;
}
