import { RULES } from '../frontend/rules.js';
import type { CliOptions } from './args.js';
import type { Printer } from './command.js';
import { formatRules } from './lint-output.js';

/** `lint --rules`: the rules, as text or JSON. */
export function listRules(options: CliOptions, p: Printer): number {
  if (options.json) p.out(JSON.stringify({ rules: RULES }, null, 2));
  else p.out(formatRules(p.style));
  return 0;
}
