import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { compareBranch } from '../core/branch.js';
import { DEFAULT_TARGET_MAJOR } from '../core/lint/config.js';
import { lintMigrations, type ClearedMatch, type LintResult } from '../core/lint/lint.js';
import type { SchemaFacts } from '../core/lint/model.js';
import type { Observations } from '../core/lint/evidence.js';
import { createParser, isProblem, type Parser } from '../core/migration.js';
import { parseFileName } from '../core/file-name.js';
import type { MigrationListing, MigrationSource } from '../core/ports.js';
import { errorsOf, PgshiftError, problem, type Problem } from '../core/problem.js';
import type { Migration, MigrationFile } from '../core/types.js';
import type { Settings } from '../options.js';
import { readEntries } from '../source/migration-files.js';
import { loadParser, type SqlParser } from '../sql/parser.js';
import { describer } from '../sql/describe.js';
import { syntaxProblem } from '../sql/syntax.js';

/** Which migrations `lint()` looks at; by default every one, each as its own deploy. */
export interface LintRequest {
  /**
   * Only these files, linted as one deploy on what the others leave: names as
   * in the directory (or versions), or paths to files on disk. A file outside
   * the directory (any name) is linted after all of the directory's, which
   * need not exist.
   */
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

/**
 * Lints migration files without a database. Every statement of the linted
 * files, UP and DOWN, is also checked with PostgreSQL's parser: one that does
 * not parse is a SYNTAX_ERROR problem, and its file is not linted.
 */
export async function lint(settings: Settings, request: LintRequest = {}): Promise<LintReport> {
  // The parser compiles while the files are read.
  const sql = settings.lint.mode === 'off' ? undefined : loadParser();
  const wanted = request.base ? [] : (request.files ?? []).map((f) => f.replace(/\\/g, '/'));
  const [listing, base] = await Promise.all([readListing(settings.source, wanted), request.base?.read()]);
  const problems: Problem[] = [...listing.problems];
  const parse = createParser();
  let files = listing.files;
  let chosen: (file: MigrationFile) => boolean = () => true;
  if (base) {
    const changes = compareBranch(base, listing, request.baseName ?? 'the base');
    const added = new Set(changes.added);
    chosen = (file) => added.has(file);
  } else if (wanted.length > 0) {
    const named = new Set<MigrationFile>();
    const loose: MigrationFile[] = [];
    for (const w of wanted) {
      const found = findWanted(listing.files, w);
      if (found === 'on disk') {
        const file = await readLoose(w, files.reduce((highest, f) => Math.max(highest, f.version), 0) + 1);
        if ('code' in file) problems.push(file);
        else loose.push(file);
        files = [...listing.files, ...loose];
      } else if (found) {
        named.add(found);
      } else {
        problems.push(
          problem('USAGE', `no migration file "${w}" in ${settings.source.location}`, {
            hint: 'name files of the migrations directory (or their versions), or paths to .sql files; check the migrations directory',
            settings: ['dir'],
          }),
        );
      }
    }
    chosen = (file) => named.has(file) || loose.includes(file);
  }
  const together = base !== undefined || wanted.length > 0;
  const parser = sql && (await sql);
  const result = parser
    ? lintFiles(files, chosen, parse, settings, { together, parser, checkSyntax: true }, problems)
    : { findings: [], cleared: [] };
  const findings = result.findings.map((f) => f.problem);
  return {
    ok: errorsOf(problems).length === 0 && errorsOf(findings).length === 0,
    findings,
    cleared: result.cleared,
    problems,
    files: files.filter(chosen).map((f) => f.path),
    postgresVersion: settings.lint.postgresVersion ?? DEFAULT_TARGET_MAJOR,
  };
}

/** The source's files; none when the directory does not exist and every file asked for is a path to a file elsewhere. */
async function readListing(source: MigrationSource, wanted: readonly string[]): Promise<MigrationListing> {
  try {
    return await source.read();
  } catch (error) {
    const elsewhere = wanted.length > 0 && wanted.every((w) => isFile(w));
    if (error instanceof PgshiftError && error.code === 'DIR_NOT_FOUND' && elsewhere) return { files: [], problems: [] };
    throw error;
  }
}

/**
 * The directory's file a name asks for: the file itself when the name is a
 * path to it, else the one it names (file name, path ending in it, or
 * version); 'on disk' for a path to a file that is not one of the directory's.
 */
function findWanted(files: readonly MigrationFile[], w: string): MigrationFile | 'on disk' | undefined {
  if (isFile(w)) {
    const path = resolve(w);
    return files.find((file) => resolve(file.path) === path) ?? 'on disk';
  }
  return files.find((file) => w === file.fileName || w.endsWith(`/${file.fileName}`) || w === String(file.version));
}

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/**
 * A file outside the migrations directory, read and checked as a migration
 * file is. A name without a version (`draft.sql`) gets `next`: it is linted
 * after the directory's migrations either way.
 */
async function readLoose(path: string, next: number): Promise<MigrationFile | Problem> {
  const name = basename(path);
  const fits = 'version' in parseFileName(name);
  const fileName = fits ? name : `${next}_${name.replace(/\.sql$/i, '') || 'migration'}.sql`;
  const listing = await readEntries([{ fileName, path, read: () => readFileSync(path) }]);
  return listing.files[0] ?? listing.problems[0] ?? problem('FILE_UNREADABLE', `cannot read ${path}`, { file: path });
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
  options: {
    readonly together: boolean;
    readonly postgresVersion?: number | undefined;
    readonly facts?: SchemaFacts | undefined;
    /** What verify saw each statement of the chosen files do. */
    readonly observed?: Observations | undefined;
    /** PostgreSQL's parser, which reads each statement for the lint. */
    readonly parser: SqlParser;
    /** A chosen file with a statement the parser refuses adds that problem and is left out. */
    readonly checkSyntax?: boolean | undefined;
  },
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
    const refused = linted && options.checkSyntax ? syntaxProblem(parsed, options.parser) : undefined;
    if (refused) {
      problems.push(refused);
      continue;
    }
    (linted ? migrations : context).push(parsed);
  }
  return lintMigrations({
    describe: describer(options.parser),
    context,
    migrations,
    together: options.together,
    pgVersion: options.postgresVersion ?? settings.lint.postgresVersion ?? DEFAULT_TARGET_MAJOR,
    lockTimeoutMs: settings.lockTimeoutMs,
    mode: settings.lint.mode,
    rules: settings.lint.rules,
    facts: options.facts,
    observed: options.observed,
  });
}
