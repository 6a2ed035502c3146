/**
 * A fleet's targets as a front end finds them, the same for `fleet` and for
 * verify's fleet line: a targets file, else the rows of a query on a control
 * database, else the config file's `targets`.
 */
import { fail, problem, type Problem } from '../core/problem.js';
import { readTargetsFile, readTargetsFileAt } from '../source/targets-file.js';

/** Where the targets come from, as the front end was told. */
export interface TargetsFrom {
  readonly targetsFile?: string | undefined;
  readonly targetsSql?: string | undefined;
  /** Read the targets file as this commit has it (a pull request's base), not from the working tree. */
  readonly fileAt?: { readonly ref: string; readonly cwd: string } | undefined;
}

/** How the front end names its own ways to give targets: `--targets`, or the `targets` input. */
export interface TargetsWords {
  readonly file: string;
  /** The file's way with its value, for hints: `--targets FILE`. */
  readonly fileWith: string;
  readonly sql: string;
  readonly control: string;
}

export const CLI_TARGETS: TargetsWords = {
  file: '--targets',
  fileWith: '--targets FILE',
  sql: '--targets-sql',
  control: '--database-url or DATABASE_URL',
};
export const ACTION_TARGETS: TargetsWords = {
  file: 'the targets input',
  fileWith: 'the targets input',
  sql: 'the targets-sql input',
  control: 'the connection input (or DATABASE_URL)',
};

/**
 * The targets as listed: the file, else the query's rows (run by `query`
 * on the control database, read-only), else the config file's `targets`;
 * a list missing everywhere is a problem naming each way to give one.
 */
export async function targetList(
  from: TargetsFrom,
  config: { readonly file: string; readonly targets: unknown },
  query: ((sql: string) => Promise<{ readonly targets: unknown[]; readonly problems: readonly Problem[] }>) | undefined,
  words: TargetsWords = CLI_TARGETS,
): Promise<{ readonly list: unknown; readonly problems: readonly Problem[] }> {
  if (from.targetsFile !== undefined)
    return from.fileAt === undefined
      ? readTargetsFile(from.targetsFile)
      : readTargetsFileAt(from.fileAt.ref, from.targetsFile, from.fileAt.cwd, `the targets file ${from.targetsFile}`);
  if (from.targetsSql !== undefined) {
    if (query === undefined) {
      throw fail('USAGE', `${words.sql} needs a control database to run on`, { hint: `give it as ${words.control}` });
    }
    const { targets, problems } = await query(from.targetsSql);
    return { list: targets, problems };
  }
  if (config.targets === undefined) {
    return {
      list: [],
      problems: [
        problem('USAGE', `no targets: ${config.file} has no "targets" and neither ${words.file} nor ${words.sql} was given`, {
          hint: `list them in ${config.file} as "targets": [{ "id": "acme", "urlEnv": "ACME_DATABASE_URL" }], or give ${words.fileWith}`,
        }),
      ],
    };
  }
  return { list: config.targets, problems: [] };
}

/** The variables a list names as `urlEnv`, whose values' passwords are masked in all that is printed. */
export function urlEnvsOf(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((t: { urlEnv?: unknown } | null) => (typeof t?.urlEnv === 'string' ? [t.urlEnv] : [])) : [];
}
