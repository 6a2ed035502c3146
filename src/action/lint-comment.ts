import { errorsOf, hintFor, type Problem } from '../index.js';
import { code, fenced, plural, text } from './markdown.js';
import { ACTION_WORDS } from './words.js';

/** How many findings of each kind are written out; the rest are counted (all are in the annotations). */
const MAX_SHOWN = 30;

/**
 * The lint's findings for the pull request comment and the job summary:
 * errors first, each with what it does, what was seen on the scratch
 * server, the table's size, what to do and the safe SQL (collapsed); then the
 * warnings, collapsed; then the accepted ones with their reasons, collapsed.
 * Everything from the repository (names, SQL, reasons) goes through text()
 * or a fence, so a migration cannot forge Markdown or HTML here.
 */
export function lintSection(findings: readonly Problem[]): string {
  if (findings.length === 0) return '';
  const accepted = findings.filter((f) => f.lint?.acknowledged !== undefined);
  const open = findings.filter((f) => f.lint?.acknowledged === undefined);
  const errors = errorsOf(open);
  const warnings = open.filter((f) => f.severity === 'warning');
  const out = [`**Lint: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}, ${accepted.length} accepted**`, ''];
  out.push(...errors.slice(0, MAX_SHOWN).map(entry));
  if (errors.length > MAX_SHOWN) out.push(`- …and ${errors.length - MAX_SHOWN} more errors (see the annotations)`);
  if (warnings.length > 0)
    out.push(
      '',
      `<details><summary>${plural(warnings.length, 'warning')}</summary>`,
      '',
      ...warnings.slice(0, MAX_SHOWN).map(entry),
      '',
      '</details>',
    );
  if (accepted.length > 0) {
    const lines = accepted.slice(0, MAX_SHOWN).map((f) => `- ${where(f)} ${code(f.lint!.rule)}: ${text(f.lint!.acknowledged!)}`);
    out.push(
      '',
      `<details><summary>${accepted.length} accepted with <code>-- pgshift:safe</code></summary>`,
      '',
      ...lines,
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

const where = (f: Problem) => code(`${f.file ?? ''}${f.line !== undefined ? `:${f.line}` : ''}`);

function entry(f: Problem): string {
  const mark = f.severity === 'error' ? '❌' : '⚠️';
  const l = f.lint;
  if (!l) return `- ${mark} ${where(f)}: ${text(f.message)}`;
  const facts = [l.observed && `observed: ${text(l.observed)}`, l.size && `size: ${text(l.size)}`].filter(Boolean);
  const hint = hintFor(f, ACTION_WORDS);
  const lines = [`- ${mark} ${where(f)} ${code(l.rule)}: ${text(f.message)}`];
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
