import { validationJson } from '../index.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatValidation } from './output.js';

export async function run({ options, migrator, p }: CommandContext): Promise<number> {
  const report = await migrator.validate();
  showWith(options, p)(
    () => validationJson(report, CLI_WORDS),
    () => formatValidation(report, p.style),
  );
  return report.ok ? 0 : 1;
}
