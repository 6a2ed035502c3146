import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { problem, type Problem } from '../core/problem.js';
import { repositoryPath } from './config-file.js';
import { gitFileAt } from './git.js';

type Listed = { readonly list: unknown; readonly problems: readonly Problem[] };

const HINT = 'give a JSON file holding [{ "id": "acme", "urlEnv": "ACME_DATABASE_URL" }]';

/** A targets file: the list, or an object with a `targets` key holding it. Never throws: a bad file is a problem. */
export async function readTargetsFile(path: string, name = `--targets ${path}`): Promise<Listed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const why = `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    return { list: [], problems: [problem('INVALID_OPTION', `${name} ${why}`, { hint: HINT })] };
  }
  return parseTargets(text, name);
}

/**
 * A targets file as a commit has it (a pull request's base: a pull request
 * cannot add targets to its own check); a file outside the repository is
 * read from disk. Never throws: a bad or missing file is a problem.
 */
export async function readTargetsFileAt(ref: string, path: string, cwd: string, name: string): Promise<Listed> {
  const inRepo = await repositoryPath(resolve(cwd, path), cwd).catch(() => undefined);
  if (inRepo === undefined) return readTargetsFile(resolve(cwd, path), name);
  let text: string | undefined;
  try {
    text = await gitFileAt(ref, inRepo, cwd);
  } catch (error) {
    return {
      list: [],
      problems: [
        problem('INVALID_OPTION', `${name} cannot be read at ${ref}: ${error instanceof Error ? error.message : String(error)}`, {
          hint: HINT,
        }),
      ],
    };
  }
  if (text === undefined) {
    const hint = `add it on the base branch first: a pull request's own targets file is read only once it is merged`;
    return { list: [], problems: [problem('INVALID_OPTION', `${name} is not in the base commit ${ref.slice(0, 12)}`, { hint })] };
  }
  return parseTargets(text, name);
}

function parseTargets(text: string, name: string): Listed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { list: [], problems: [problem('INVALID_OPTION', `${name} is not valid JSON: ${(error as Error).message}`, { hint: HINT })] };
  }
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'targets' in value
      ? (value as { targets: unknown }).targets
      : value;
  return { list, problems: [] };
}
