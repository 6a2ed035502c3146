/**
 * Where a lint rule is documented, for the front ends to link to: the
 * README section each rule's metadata names, on the repository's page.
 */
import { isRuleName } from '../core/lint/rules.js';
import { ruleOf } from '../core/lint/registry.js';

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
