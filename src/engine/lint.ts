import { compareBranch } from '../core/branch.js';
import { DEFAULT_TARGET_MAJOR } from '../core/lint/config.js';
import { lintMigrations, type ClearedMatch, type LintResult } from '../core/lint/lint.js';
import type { SchemaFacts } from '../core/lint/model.js';
import { createParser, isProblem, type Parser } from '../core/migration.js';
import type { MigrationSource } from '../core/ports.js';
import { errorsOf, problem, type Problem } from '../core/problem.js';
import type { Migration, MigrationFile } from '../core/types.js';
import type { Settings } from '../options.js';

/** Which migrations `lint()` looks at; by default every one, each as its own deploy. */
export interface LintRequest {
  /** Only these files (names as in the directory, or paths ending in them), linted as one deploy on what the others leave. */
  readonly files?: readonly string[] | undefined;
  /** Only the migrations the branch adds over this base (`gitSource({ ref: 'origin/main', dir })`), as one deploy. */
  readonly base?: MigrationSource | undefined;
  readonly baseName?: string | undefined;
}

/** What `lint()` returns. */
export interface LintReport {
  /** False when a finding or a problem of error level remains. */
  readonly ok: boolean;
  /** Each finding, in file order; acknowledged ones are warnings with `lint.acknowledged` set. */
  readonly findings: readonly Problem[];
  /** Files that could not be read or parsed, and files asked for that do not exist. */
  readonly problems: readonly Problem[];
  /** The files linted. */
  readonly files: readonly string[];
  /** The PostgreSQL major the findings assume. */
  readonly postgresVersion: number;
  /** Statements a rule matched that their context makes harmless, with why (a table new in the deploy, NOT VALID...). */
  readonly cleared: readonly ClearedMatch[];
}

/** Lints migration files without a database. */
export async function lint(settings: Settings, request: LintRequest = {}): Promise<LintReport> {
  const [listing, base] = await Promise.all([settings.source.read(), request.base?.read()]);
  const problems: Problem[] = [...listing.problems];
  const parse = createParser();
  let chosen: (file: MigrationFile) => boolean = () => true;
  if (base) {
    const changes = compareBranch(base, listing, request.baseName ?? 'the base');
    const added = new Set(changes.added);
    chosen = (file) => added.has(file);
  } else if (request.files?.length) {
    const wanted = request.files.map((f) => f.replace(/\\/g, '/'));
    const matches = (file: MigrationFile, w: string) =>
      w === file.fileName || w.endsWith(`/${file.fileName}`) || w === String(file.version);
    for (const w of wanted)
      if (!listing.files.some((file) => matches(file, w)))
        problems.push(
          problem('USAGE', `no migration file "${w}" in ${settings.source.location}`, {
            hint: 'name files of the migrations directory (or their versions); check the migrations directory',
            settings: ['dir'],
          }),
        );
    chosen = (file) => wanted.some((w) => matches(file, w));
  }
  const together = base !== undefined || (request.files?.length ?? 0) > 0;
  const result = lintFiles(listing.files, chosen, parse, settings, { together }, problems);
  const findings = result.findings.map((f) => f.problem);
  return {
    ok: errorsOf(problems).length === 0 && errorsOf(findings).length === 0,
    findings,
    cleared: result.cleared,
    problems,
    files: listing.files.filter(chosen).map((f) => f.path),
    postgresVersion: settings.lint.postgresVersion ?? DEFAULT_TARGET_MAJOR,
  };
}

/**
 * The findings on the `chosen` files, with every other file read first for
 * the schema (or `facts` from a catalog instead). A file that does not
 * parse adds its problem to `problems` and is left out.
 */
export function lintFiles(
  files: readonly MigrationFile[],
  chosen: (file: MigrationFile) => boolean,
  parse: Parser,
  settings: Settings,
  options: { readonly together: boolean; readonly postgresVersion?: number | undefined; readonly facts?: SchemaFacts | undefined },
  problems: Problem[],
): LintResult {
  if (settings.lint.mode === 'off') return { findings: [], cleared: [] };
  const context: Migration[] = [];
  const migrations: Migration[] = [];
  for (const file of files) {
    const linted = chosen(file);
    if (!linted && options.facts) continue;
    const parsed = parse(file);
    if (isProblem(parsed)) {
      if (linted) problems.push(parsed);
      continue;
    }
    (linted ? migrations : context).push(parsed);
  }
  return lintMigrations({
    context,
    migrations,
    together: options.together,
    pgVersion: options.postgresVersion ?? settings.lint.postgresVersion ?? DEFAULT_TARGET_MAJOR,
    lockTimeoutMs: settings.lockTimeoutMs,
    mode: settings.lint.mode,
    rules: settings.lint.rules,
    facts: options.facts,
  });
}
