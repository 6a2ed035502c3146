import { readFile } from 'node:fs/promises';
import { lintSettingsProblems, type LintSettings } from '../core/lint/config.js';
import { failAll, fail, problem, type Problem } from '../core/problem.js';

/** What `pgshift.json` holds. */
export interface ConfigFile {
  readonly lint?: LintSettings;
}

/** The config file read when none is named, from the working directory. */
export const DEFAULT_CONFIG_FILE = 'pgshift.json';

/**
 * Reads and checks a config file: `{ "lint": { "mode": "warn", "rules": {
 * "drop-column": "off" }, "postgresVersion": 16 } }`. A named file must
 * exist; the default one may be absent (then `{}`). Throws a PgshiftError
 * (INVALID_OPTION) naming the file and every bad entry.
 */
export async function readConfigFile(path: string | undefined): Promise<ConfigFile> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fail('INVALID_OPTION', `cannot read the config file ${file}: ${(error as Error).message}`, {
      hint: 'check the path given as the config file',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('INVALID_OPTION', `${file} is not valid JSON: ${(error as Error).message}`, { hint: 'fix the JSON in the config file' });
  }
  const problems: Problem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('INVALID_OPTION', `${file} must hold a JSON object`, { hint: 'write { "lint": { ... } }' });
  }
  for (const key of Object.keys(value)) {
    if (key !== 'lint' && key !== '$schema')
      problems.push(problem('INVALID_OPTION', `${file}: unknown setting "${key}"`, { hint: 'the config file holds "lint"' }));
  }
  problems.push(...lintSettingsProblems((value as ConfigFile).lint, file));
  if (problems.length > 0) throw failAll(problems, `${problems.length} problems in ${file}`);
  return value as ConfigFile;
}
