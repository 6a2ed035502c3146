import { planJson } from '../index.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatPlan } from './output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, where, p }: CommandContext): Promise<number> {
  const plan = await migrator.plan(options.target === undefined ? {} : { target: options.target });
  showWith(options, p)(
    () => planJson(plan, CLI_WORDS),
    () => formatPlan(plan, where, p.style),
  );
  return inputFailure(plan.problems) ?? (plan.ok ? 0 : 1);
}
