import type { LintReport } from '../index.js';
import { plural } from '../frontend/format.js';
import { RULES, RULE_NAMES } from '../frontend/rules.js';
import { lintCount } from '../frontend/problems.js';
import { findingText, problemLine, sortedFindings, type Style } from './output.js';

export function formatLint(r: LintReport, s: Style): string {
  const out = [`${s.bold('pgshift lint')}  ${plural(r.files.length, 'migration')}, for PostgreSQL ${r.postgresVersion}`];
  if (r.problems.length > 0) out.push('', 'Problems:', ...r.problems.map((p) => problemLine(p, s)));
  for (const p of sortedFindings(r.findings)) out.push('', findingText(p, s));
  out.push(
    '',
    // A mark for the whole run: a problem (a file that does not parse) is no ✓ whatever the findings.
    r.findings.length === 0
      ? r.ok
        ? `${s.green('✓')} no findings`
        : `${s.red('✗')} no findings, but the problems above fail the lint`
      : `${r.ok ? s.green('✓') : s.red('✗')} ${lintCount(r.findings)}`,
  );
  // The lint reads the SQL without a server: what it says of locks and rewrites is a guess that verify measures.
  if (r.findings.length > 0) out.push(s.dim('  (read from the SQL alone; pgshift verify measures each statement on seeded rows)'));
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
