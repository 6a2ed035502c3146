import { compareHistory, noDownWarning, selectToApply, type History } from '../core/history.js';
import { createParser, isProblem, type Parser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { errorsOf, type Problem } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import type { AppliedRow, Plan, Status, ValidationReport } from '../core/types.js';
import { plannedView } from '../core/views.js';
import type { TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { loadParser } from '../sql/parser.js';
import { withSyntaxCheck } from '../sql/syntax.js';
import { openAll } from './open.js';

/** Versions whose file exists but could not be read: reported as such, never as "missing". */
export const unreadableOf = (listing: MigrationListing): ReadonlySet<number> =>
  new Set(listing.problems.flatMap((p) => (p.version === undefined ? [] : [p.version])));

/** The files set against the table's rows, with the run's settings. */
export function historyOf(listing: MigrationListing, rows: readonly AppliedRow[], settings: Settings, parse: Parser): History {
  return compareHistory({
    files: listing.files,
    rows,
    parse,
    strictOrder: settings.strictOrder,
    unreadable: unreadableOf(listing),
    listingProblems: listing.problems,
  });
}

export interface InspectRequest {
  /** Up to this version, inclusive. */
  readonly target?: number | undefined;
  /** Open the session read-only: the server refuses any write. */
  readonly readOnly?: boolean | undefined;
  /**
   * Check the pending files' statements with PostgreSQL's parser (a plan's
   * job, not a status's): one that does not parse is a SYNTAX_ERROR, and its
   * file is not pending, as a file with an unterminated string is not.
   */
  readonly syntax?: boolean | undefined;
}

/** `status()` and `plan()` from one read of the files and the table. Changes nothing; with `readOnly`, the server sees to it. */
export async function inspect(settings: Settings, request: InspectRequest = {}): Promise<{ status: Status; plan: Plan }> {
  const { target, readOnly = false } = request;
  // The parser compiles while the files are read and the server answers.
  const sql = request.syntax ? loadParser() : undefined;
  const { listing, session, tracking } = await openAll(settings, { readOnly });
  await session.close();
  const parse = createParser();
  const parser = sql && (await sql);
  const history = historyOf(listing, tracking.rows, settings, parser ? withSyntaxCheck(parse, parser) : parse);
  const status = statusOf(listing, history, tracking, settings.table);
  const chosen = new Map(selectToApply(history, target).map((m) => [m.version, m]));
  const pending = history.pendingViews.flatMap((view) => {
    const m = chosen.get(view.version);
    return m ? [plannedView(m, view)] : [];
  });
  // The pending migrations deploy together, on the schema the applied ones left, on this server's major.
  // The lint's rules are loaded only here, for a plan with something pending: status and migrate never need them.
  const lint =
    chosen.size === 0 || !parser
      ? { findings: [] }
      : (await import('./lint.js')).lintFiles(
          listing.files,
          (file) => chosen.has(file.version),
          parse,
          settings,
          { together: true, postgresVersion: session.serverMajor(), parser },
          [],
        );
  const plan: Plan = {
    pending,
    problems: status.problems,
    ok: errorsOf(status.problems).length === 0,
    table: settings.table.display,
    findings: lint.findings.map((f) => f.problem),
  };
  return { status, plan };
}

/** The status: every problem of the files, the pending files and the history, at once. */
export function statusOf(listing: MigrationListing, history: History, tracking: TrackingState, table: TableName): Status {
  const latest = history.applied.at(-1);
  return {
    appliedCount: history.applied.length,
    pendingCount: history.pending.length,
    applied: history.applied,
    pending: history.pendingViews,
    problems: [...listing.problems, ...history.fileProblems, ...history.problems],
    table: table.display,
    tableExists: tracking.exists,
    currentVersion: latest ? latest.version : null,
  };
}

/**
 * Checks every file (applied ones too) and, when a connection was given,
 * the history. Never throws for what it finds; throws only when the files
 * cannot be listed or the database cannot be read.
 */
export async function validate(settings: Settings): Promise<ValidationReport> {
  const loading = loadParser();
  const parser = async () => withSyntaxCheck(createParser(), await loading);
  const check = (listing: MigrationListing, parse: Parser): Problem[] => [
    ...listing.problems,
    ...listing.files.flatMap((file) => {
      const parsed = parse(file);
      return isProblem(parsed) ? [parsed] : [];
    }),
  ];
  if (settings.connection === undefined) {
    const listing = await settings.source.read();
    const parse = await parser();
    // Without a database every file may be pending: each one without a DOWN part is said.
    const noDown = listing.files.flatMap((file) => {
      const parsed = parse(file);
      return isProblem(parsed) || parsed.down ? [] : [noDownWarning(parsed)];
    });
    const problems = [...check(listing, parse), ...noDown];
    return { ok: errorsOf(problems).length === 0, problems, checkedDatabase: false, files: listing.files.length };
  }
  const { listing, session, tracking } = await openAll(settings);
  await session.close();
  const parse = await parser();
  const history = historyOf(listing, tracking.rows, settings, parse);
  const problems = [...check(listing, parse), ...history.problems];
  const status = statusOf(listing, history, tracking, settings.table);
  return { ok: errorsOf(problems).length === 0, problems, checkedDatabase: true, files: listing.files.length, status };
}
