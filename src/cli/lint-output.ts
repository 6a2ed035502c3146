import { RULES, RULE_NAMES, formatLocation, hintFor, type LintReport, type Problem } from '../index.js';
import { problemLine, type Style } from './output.js';
import { CLI_WORDS } from './words.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * One finding: `file:line:col  error  rule`, what it does, what was seen on
 * the scratch server and the table's size, what to do, and the safe SQL
 * indented. An acknowledged one is one line with its reason.
 */
export function findingText(p: Problem, s: Style): string {
  const l = p.lint;
  if (!l) return problemLine(p, s);
  const where = formatLocation(p);
  if (l.acknowledged !== undefined) return `  ${s.dim('accepted')} ${where}  ${l.rule}: ${s.dim(l.acknowledged)}`;
  const mark = p.severity === 'error' ? s.red('error') : s.yellow('warning');
  const out = [`  ${mark} ${where}  ${s.bold(l.rule)}`, `    ${p.message}`];
  if (l.observed) out.push(`    ${s.dim(`observed: ${l.observed}`)}`);
  if (l.size) out.push(`    ${s.dim(`size: ${l.size}`)}`);
  const hint = hintFor(p, CLI_WORDS);
  if (hint) out.push(`    ${hint}`);
  if (l.fix)
    out.push(
      ...l.fix
        .trimEnd()
        .split('\n')
        .map((line) => (line === '' ? '' : `      ${s.dim(line)}`)),
    );
  return out.join('\n');
}

/** Errors first, then warnings, then the accepted ones. */
export function sortedFindings(findings: readonly Problem[]): Problem[] {
  const rank = (p: Problem) => (p.lint?.acknowledged !== undefined ? 2 : p.severity === 'error' ? 0 : 1);
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

/** `3 findings: 1 error, 1 warning, 1 accepted`. */
export function findingsSummary(findings: readonly Problem[]): string {
  const accepted = findings.filter((p) => p.lint?.acknowledged !== undefined).length;
  const errors = findings.filter((p) => p.severity === 'error').length;
  const warnings = findings.length - errors - accepted;
  return `${plural(findings.length, 'finding')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${accepted} accepted`;
}

export function formatLint(r: LintReport, s: Style): string {
  const out = [`${s.bold('pgshift lint')}  ${plural(r.files.length, 'migration')}, for PostgreSQL ${r.postgresVersion}`];
  if (r.problems.length > 0) out.push('', 'Problems:', ...r.problems.map((p) => problemLine(p, s)));
  for (const p of sortedFindings(r.findings)) out.push('', findingText(p, s));
  out.push(
    '',
    r.findings.length === 0 ? `${s.green('✓')} no findings` : `${r.ok ? s.green('✓') : s.red('✗')} ${findingsSummary(r.findings)}`,
  );
  return out.join('\n');
}

/** `pgshift lint --rules`: each rule, its family and default level. */
export function formatRules(s: Style): string {
  const width = Math.max(...RULE_NAMES.map((n) => n.length));
  return RULE_NAMES.map((name) => {
    const r = RULES[name];
    return `${name.padEnd(width)}  ${(r.level === 'error' ? s.red : s.yellow)(r.level.padEnd(7))}  ${s.dim(r.family.padEnd(20))}  ${r.summary}`;
  }).join('\n');
}
