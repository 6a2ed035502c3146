import { hintFor, type Problem } from '../index.js';
import { plural } from '../frontend/format.js';
import { findingKinds, lintCount } from '../frontend/problems.js';
import { ruleDocsUrl } from '../frontend/rules.js';
import { code, fenced, link, text } from './markdown.js';
import type { Section } from './sql-blocks.js';
import { ACTION_WORDS } from '../frontend/words.js';

/** How many findings of each kind are written out; the rest are counted (all are in the annotations). */
const MAX_SHOWN = 30;

/**
 * The lint's findings for the pull request comment and the job summary:
 * errors first, each with what it does, what was seen on the scratch
 * server, the table's size, what to do and the safe SQL (collapsed); then the
 * warnings, collapsed; then the accepted ones with their reasons, collapsed.
 * Everything from the repository (names, SQL, reasons) goes through text()
 * or a fence, so a migration cannot forge Markdown or HTML here.
 * `shown` findings at most are written out, in that order.
 */
export function lintSection(findings: readonly Problem[], shown = Infinity): string {
  if (findings.length === 0) return '';
  const { errors, warnings, accepted } = findingKinds(findings);
  let left = shown;
  const take = (list: readonly Problem[]) => {
    const taken = list.slice(0, Math.min(MAX_SHOWN, Math.max(0, left)));
    left -= taken.length;
    return taken;
  };
  const [e, w, a] = [take(errors), take(warnings), take(accepted)];
  const more = (list: readonly Problem[], taken: readonly Problem[], what: string) =>
    list.length > taken.length ? [`- …and ${list.length - taken.length} more ${what} (see the annotations)`] : [];
  const out = [`**Lint: ${lintCount(findings)}**`, ''];
  out.push(...e.map(entry), ...more(errors, e, 'errors'));
  if (warnings.length > 0)
    out.push(
      '',
      `<details><summary>${plural(warnings.length, 'warning')}</summary>`,
      '',
      ...w.map(entry),
      ...more(warnings, w, 'warnings'),
      '',
      '</details>',
    );
  if (accepted.length > 0) {
    const lines = a.map((f) => `- ${where(f)} ${rule(f.lint!.rule)}: ${text(f.lint!.acknowledged!)}`);
    out.push(
      '',
      `<details><summary>${accepted.length} accepted with <code>-- pgshift:safe</code></summary>`,
      '',
      ...lines,
      ...more(accepted, a, 'accepted'),
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

/** The findings as a part of a report that may have to give up its tail. */
export function lintPart(findings: readonly Problem[], rank: number): Section {
  const { errors, warnings, accepted } = findingKinds(findings);
  return {
    rank,
    total: [errors, warnings, accepted].reduce((sum, list) => sum + Math.min(MAX_SHOWN, list.length), 0),
    render: (shown) => lintSection(findings, shown),
    leftOut: (n) => plural(n, 'lint finding'),
  };
}

/** The rule's name, linked to its section of the README when it is a rule pgshift knows. */
function rule(name: string): string {
  const url = ruleDocsUrl(name);
  return url === undefined ? code(name) : link(code(name), url);
}

const where = (f: Problem) => code(`${f.file ?? ''}${f.line !== undefined ? `:${f.line}` : ''}`);

function entry(f: Problem): string {
  const mark = f.severity === 'error' ? '❌' : '⚠️';
  const l = f.lint;
  if (!l) return `- ${mark} ${where(f)}: ${text(f.message)}`;
  const facts = [
    l.observed && `observed: ${text(l.observed)}`,
    l.measured && `measured: ${text(l.measured)}`,
    l.size && `size: ${text(l.size)}`,
  ].filter(Boolean);
  const hint = hintFor(f, ACTION_WORDS);
  const lines = [`- ${mark} ${where(f)} ${rule(l.rule)}: ${text(f.message)}`];
  if (facts.length > 0) lines.push(`  <br>🔎 ${facts.join(' · ')}`);
  if (hint) lines.push(`  <br>↳ _${text(hint)}_`);
  if (l.fix)
    lines.push('', '  <details><summary>The safe way</summary>', '', indent(fenced(l.fix.trimEnd(), 'sql')), '', '  </details>', '');
  return lines.join('\n');
}

const indent = (block: string) =>
  block
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
