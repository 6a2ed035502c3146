/**
 * `-- pgshift:safe <rule> <reason>`: a finding the author has weighed. On
 * the comment lines right above a statement it covers that statement; in
 * the file's header (above `-- UP`) it covers the whole file. The reason is
 * required: it is what reviewers read in the PR comment.
 */
import { problem, type Problem } from '../problem.js';
import type { Migration } from '../types.js';
import { isRuleName, type RuleName } from './registry.js';

const SAFE = /^[ \t]*--[ \t]*pgshift:[ \t]*safe\b[ \t]*(\S*)[ \t]*(.*?)[ \t]*$/i;
const COMMENT = /^[ \t]*--/;

export interface Acknowledgements {
  /** The reason a rule is acknowledged for the statement starting on `line`, if it is. */
  reasonFor(rule: RuleName, line: number): string | undefined;
  /** Directives that name no rule or give no reason. */
  readonly problems: readonly Problem[];
}

export function readAcknowledgements(m: Migration): Acknowledgements {
  const lines = m.text.split('\n');
  const byLine = new Map<number, { rule: RuleName; reason: string }>();
  const problems: Problem[] = [];
  lines.forEach((text, i) => {
    const found = SAFE.exec(text);
    if (!found) return;
    const [, rule = '', reason = ''] = found;
    const at = { file: m.path, line: i + 1, version: m.version };
    if (!isRuleName(rule)) {
      problems.push(
        problem(
          'INVALID_ACKNOWLEDGEMENT',
          rule ? `"-- pgshift:safe ${rule}" names no lint rule` : '"-- pgshift:safe" needs a rule name and a reason',
          {
            ...at,
            hint: 'write -- pgshift:safe <rule> <why it is safe>; pgshift lint --rules lists the rules',
          },
        ),
      );
    } else if (reason === '') {
      problems.push(
        problem('INVALID_ACKNOWLEDGEMENT', `"-- pgshift:safe ${rule}" gives no reason`, {
          ...at,
          hint: `say why it is safe: -- pgshift:safe ${rule} <why>`,
        }),
      );
    } else byLine.set(i + 1, { rule, reason });
  });
  // The header: the lines above the -- UP marker (a file without markers has none).
  const header = m.up.startLine - 1;
  return {
    problems,
    reasonFor(rule, line) {
      for (let l = line - 1; l >= 1 && COMMENT.test(lines[l - 1] ?? ''); l--) {
        const ack = byLine.get(l);
        if (ack?.rule === rule) return ack.reason;
      }
      for (const [l, ack] of byLine) if (l < header && ack.rule === rule) return ack.reason;
      return undefined;
    },
  };
}
