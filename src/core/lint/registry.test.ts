// The README and the rule files are read from disk: core's no-I/O wall is for the code lib/ ships, not its tests.
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_LIST, RULE_NAMES } from './registry.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The rows of the README's rule table (`| rule | family | level | flags |`) in its Lint section. */
function readmeRules(): { name: string; family: string; level: string; summary: string }[] {
  const section = README.slice(README.indexOf('\n## Lint\n'), README.indexOf('\n## ', README.indexOf('\n## Lint\n') + 1));
  return [...section.matchAll(/^\| (?:<a id="rule-[^"]+"><\/a>)?`([^`]+)` \| ([^|]+?) \| ([^|]+?) \| (.*) \|$/gm)].map(
    ([, name, family, level, summary]) => ({
      name: name!,
      family: family!,
      level: level!,
      summary: summary!,
    }),
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('the rule registry', () => {
  it("matches the README's rule table: every rule with its family and default level, none missing, none extra", () => {
    const documented = readmeRules().map(({ name, family, level }) => ({ name, family, level }));
    const registered = RULE_LIST.map(({ meta: { name, family, level } }) => ({ name, family, level }));
    expect(documented.sort(byName)).toEqual(registered.sort(byName));
  });

  it("says what each rule flags in the README's words", () => {
    const documented = readmeRules().map(({ name, summary }) => ({ name, summary }));
    const registered = RULE_LIST.map(({ meta: { name, summary } }) => ({ name, summary }));
    expect(documented.sort(byName)).toEqual(registered.sort(byName));
  });

  it('links each rule to a section of the README that exists', () => {
    const headings = [...README.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => `README.md#${anchor(heading!)}`);
    const ids = [...README.matchAll(/<a id="([^"]+)"><\/a>/g)].map(([, id]) => `README.md#${id}`);
    const anchors = new Set([...headings, ...ids]);
    for (const { meta } of RULE_LIST) {
      expect(anchors.has(meta.docs), `${meta.name}: ${meta.docs}`).toBe(true);
      // Its own row, not the section: the anchor carries the rule's name.
      expect(meta.docs).toBe(`README.md#rule-${meta.name}`);
    }
  });

  it('holds each rule once, from rules/<rule>.ts, with its hazard/safe cases in rules/<rule>.test.ts beside it', () => {
    const files = readdirSync(new URL('./rules/', import.meta.url));
    const modules = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -'.ts'.length));
    expect([...modules].sort()).toEqual([...RULE_NAMES].sort());
    expect(new Set(RULE_NAMES).size).toBe(RULE_LIST.length);
    for (const name of RULE_NAMES) expect(files, name).toContain(`${name}.test.ts`);
  });
});
