import { gitSource } from '../index.js';
import { lintReportJson } from '../frontend/json.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatLint } from './lint-output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, p }: CommandContext): Promise<number> {
  const base = options.verify?.base;
  const report = await migrator.lint({
    ...(options.files && { files: options.files }),
    ...(base !== undefined && { base: gitSource({ ref: base, dir: options.settings.dir }), baseName: base }),
  });
  showWith(options, p)(
    () => lintReportJson(report, CLI_WORDS),
    () => formatLint(report, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
}
