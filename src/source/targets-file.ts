import { readFile } from 'node:fs/promises';
import { problem, type Problem } from '../core/problem.js';

/** A targets file: the list, or an object with a `targets` key holding it. Never throws: a bad file is a problem. */
export async function readTargetsFile(path: string): Promise<{ readonly list: unknown; readonly problems: readonly Problem[] }> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const why =
      error instanceof SyntaxError
        ? `is not valid JSON: ${error.message}`
        : `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    return {
      list: [],
      problems: [
        problem('INVALID_OPTION', `--targets ${path} ${why}`, {
          hint: 'give a JSON file holding [{ "id": "acme", "urlEnv": "ACME_DATABASE_URL" }]',
        }),
      ],
    };
  }
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'targets' in value
      ? (value as { targets: unknown }).targets
      : value;
  return { list, problems: [] };
}
