/**
 * Lints the UP part of new migrations as the SQL that runs at deploy time,
 * in context: the schema before them (from the earlier migrations or a
 * catalog), the transaction mode, the tables this deploy creates (empty,
 * so locking them is harmless), the lock_timeout in force, and the target
 * PostgreSQL major. Each finding is a Problem with code `LINT`.
 */
import { problem, type Problem, type Severity } from '../problem.js';
import { lineColumnAt, shiftPosition } from '../source-position.js';
import type { Migration, Statement } from '../types.js';
import { readAcknowledgements, type Acknowledgements } from './acknowledge.js';
import { SchemaModel, type SchemaFacts } from './model.js';
import type { Action, Describe } from './action.js';
import { describeObservations, type Observations } from './evidence.js';
import { advise, ruleOf, type Family, type Hazard, type Level, type RuleName } from './registry.js';
import { checksFor } from './run-rules.js';
import type { StatementContext } from './rule.js';

/** `error`: warnings fail too; `warn` (the default): only error-level rules fail; `off`: no lint. */
export type LintMode = 'error' | 'warn' | 'off';

/** A rule's level as a config file sets it. */
export type RuleSetting = Level | 'off';

export interface LintOptions {
  /** The PostgreSQL major the migrations will run on. */
  readonly pgVersion: number;
  /** The lock_timeout pgshift runs the migrations with, in ms (0 or none: the server's, usually none). */
  readonly lockTimeoutMs?: number | undefined;
  readonly mode?: LintMode | undefined;
  /** Per-rule levels over the defaults. */
  readonly rules?: Readonly<Partial<Record<RuleName, RuleSetting>>> | undefined;
  /** The schema before the first linted migration, from a catalog; else read from the earlier migrations. */
  readonly facts?: SchemaFacts | undefined;
  /** True when the linted migrations deploy together (a pull request's); false: each is its own deploy. */
  readonly together?: boolean | undefined;
  /** What verify saw each statement of the linted migrations do on the scratch server. */
  readonly observed?: Observations | undefined;
}

export interface LintInput extends LintOptions {
  /** What a statement does: src/sql/describe.ts's reader on PostgreSQL's parser. */
  readonly describe: Describe;
  /** The migrations before the linted ones, already deployed: read for the schema only. */
  readonly context: readonly Migration[];
  readonly migrations: readonly Migration[];
}

/** Which statement of which migration a finding is on: verify's evidence attaches to these. */
export interface StatementRef {
  readonly version: number;
  readonly index: number;
}

export interface LintFinding {
  readonly problem: Problem;
  readonly at: StatementRef;
}

/** A statement a rule matched that its context makes harmless, and why: what explains a finding other linters report. */
export interface ClearedMatch {
  readonly file: string;
  readonly line: number;
  /** The statement's last line. */
  readonly endLine: number;
  readonly rule: RuleName;
  readonly reason: string;
}

export interface LintResult {
  readonly findings: LintFinding[];
  readonly cleared: ClearedMatch[];
}

/** Every finding (acknowledged ones too, marked) and every bad acknowledgement, in file order; and what context cleared. */
export function lintMigrations(input: LintInput): LintResult {
  const result: LintResult = { findings: [], cleared: [] };
  if (input.mode === 'off') return result;
  const model = SchemaModel.from(input.facts);
  for (const routine of input.facts?.routines ?? []) model.apply(input.describe(routine), false);
  if (!input.facts) for (const m of input.context) learn(model, m, input.describe);
  for (const m of input.migrations) {
    if (!input.together) model.deploy();
    lintOne(m, model, input, result);
  }
  return result;
}

/** Reads a deployed migration's UP for what it makes of the schema. */
function learn(model: SchemaModel, m: Migration, describe: Describe): void {
  const apply = (action: Action, depth: number): void => {
    model.apply(action, false);
    if (depth < MAX_DEPTH) for (const inner of model.bodyOf(action)) apply(inner.action, depth + 1);
  };
  for (const s of m.up.statements) {
    apply(describe(s.sql), 0);
    if (m.transaction === 'none') model.commit();
  }
  model.commit();
}

/** How deep calls are followed into routines that call routines. */
const MAX_DEPTH = 3;

function lintOne(m: Migration, model: SchemaModel, input: LintInput, { findings, cleared }: LintResult): void {
  const acks = readAcknowledgements(m);
  findings.push(...acks.problems.map((p) => ({ problem: p, at: { version: m.version, index: -1 } })));
  const ctx: StatementContext = { model, pgVersion: input.pgVersion, inTransaction: m.transaction === 'transaction' };
  const checks = checksFor({ lockTimeoutMs: input.lockTimeoutMs ?? 0 });
  m.up.statements.forEach((top, index) => {
    const seen = input.observed?.get(m.version)?.[index];
    const evidence = seen && describeObservations(seen);
    /** One statement's findings (a body's statements each their own), then the model moved past it. */
    const visit = (statement: Statement, action: Action, depth: number, placed = true): void => {
      const families = new Set<Family>();
      /** The hazards that are findings, as Problems: cleared ones noted, one per family, rules set off left out. */
      const report = (hazards: readonly Hazard[]): Problem[] => {
        const reported: Problem[] = [];
        for (const hazard of hazards) {
          const why =
            hazard.cleared ??
            (hazard.table !== undefined && model.isNew(hazard.table) ? 'the table is new in this deploy: nobody uses it yet' : undefined);
          if (why !== undefined) {
            cleared.push({ file: m.path, line: statement.line, endLine: lastLine(statement), rule: hazard.rule, reason: why });
            continue;
          }
          const family = ruleOf(hazard.rule).meta.family;
          if (families.has(family)) continue;
          families.add(family);
          // A routine's statement is shown where it is called: no offset into its text points there.
          const finding = toProblem(m, statement, placed ? hazard : unplaced(hazard), acks, model, input, top, evidence);
          if (finding) reported.push(finding);
        }
        return reported;
      };
      const reported = report(checks.statement(action, ctx));
      reported.push(...report(checks.after(action, ctx, reported.length)));
      const record = (problems: readonly Problem[]) => {
        for (const p of problems) findings.push({ problem: p, at: { version: m.version, index } });
      };
      record(reported);
      model.apply(action, true);
      if (depth < MAX_DEPTH)
        for (const inner of model.bodyOf(action)) {
          // A DO block's statement (or a WITH query's) is where it is written; a routine's, where it is called.
          const placedHere = placed && (action.kind === 'do' || action.kind === 'compound');
          const at = placedHere ? shiftPosition(statement, inner) : statement;
          visit({ sql: inner.sql, line: at.line, column: at.column }, inner.action, depth + 1, placedHere);
        }
      // What verify saw the whole statement do, weighed against every finding on it (its body's too).
      if (seen && depth === 0) {
        const onIt = findings.filter((f) => f.at.version === m.version && f.at.index === index).map((f) => f.problem);
        record(report(checks.observed(seen, onIt)));
      }
    };
    visit(top, input.describe(top.sql), 0);
    if (m.transaction === 'none') model.commit();
  });
  model.commit();
}

/**
 * A hazard as the Problem a user reads; undefined when its rule is set off.
 * `holder` is the migration's statement that holds `statement` (a DO block
 * or a call of a routine), whose acknowledgement covers it too; `observed`,
 * what verify saw it do.
 */
export function toProblem(
  m: Migration,
  statement: Statement,
  hazard: Hazard,
  acks: Acknowledgements,
  model: SchemaModel,
  options: LintOptions,
  holder: Statement = statement,
  observed?: string,
): Problem | undefined {
  const rule = ruleOf(hazard.rule).meta;
  const setting = options.rules?.[hazard.rule] ?? rule.level;
  if (setting === 'off') return undefined;
  const key = (hazard.table && model.table(hazard.table)?.primaryKey[0]) || 'id';
  const advice = advise(hazard, { sql: statement.sql, pgVersion: options.pgVersion, key });
  // A finding on one action of a multi-line ALTER TABLE points at that action's line.
  const at = hazard.at ? shiftPosition(statement, lineColumnAt(statement.sql, hazard.at)) : statement;
  const acknowledged = [...new Set([holder.line, statement.line, at.line])]
    .map((line) => acks.reasonFor(hazard.rule, line))
    .find((reason) => reason !== undefined);
  const severity: Severity = acknowledged !== undefined ? 'warning' : options.mode === 'error' ? 'error' : setting;
  const size = hazard.table ? sizeOf(model, hazard.table) : undefined;
  return problem('LINT', advice.message, {
    severity,
    file: m.path,
    line: at.line,
    column: at.column,
    version: m.version,
    hint: `Instead, ${advice.instead} To accept it, put "-- pgshift:safe ${hazard.rule} <why>" on the line above the statement.`,
    lint: {
      rule: hazard.rule,
      family: rule.family,
      ...(advice.fix !== undefined && { fix: advice.fix }),
      ...(acknowledged !== undefined && { acknowledged }),
      ...(hazard.table && { relation: hazard.table }),
      ...(size && { size }),
      ...(observed !== undefined && { observed }),
      statementLines: [statement.line, lastLine(statement)],
    },
  });
}

const unplaced = (hazard: Hazard): Hazard => {
  const copy = { ...hazard };
  delete copy.at;
  return copy;
};

const lastLine = (s: Statement): number => s.line + (s.sql.match(/\n/g)?.length ?? 0);

/** `≈41 M rows, 9.8 GB` from the catalog's estimates, when the facts came with them. */
export function sizeOf(model: SchemaModel, table: string): string | undefined {
  const t = model.table(table);
  return t?.rows === undefined ? undefined : formatSize(t.rows, t.bytes);
}

/** `≈41 M rows, 9.8 GB`; `never analysed, 8.0 kB` for a table whose row estimate is -1. */
export function formatSize(rows: number, size?: number): string {
  const count = rows < 0 ? 'never analysed' : `≈${compact(rows)} rows`;
  return size === undefined ? count : `${count}, ${bytes(size)}`;
}

const compact = (n: number): string =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)} G`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} M`
      : n >= 1e4
        ? `${Math.round(n / 1e3)} k`
        : String(Math.round(n));

function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
