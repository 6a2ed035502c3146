/**
 * One target, through the same engine as a single database: a Migrator
 * with the target's connection and schema, the run's settings otherwise.
 */
import { Migrator } from '../migrator.js';
import type { MigratorOptions } from '../options.js';
import { problem, type PgshiftError, type Problem } from '../core/problem.js';
import type { RunReport } from '../core/types.js';
import type { ErrorRecord, FleetCommand, TargetRecord } from '../core/fleet.js';
import type { Target } from './targets.js';

/** What each target's Migrator gets besides its connection and schema. */
export type TargetSettings = Omit<MigratorOptions, 'connection' | 'schema' | 'onEvent'>;

export const migratorFor = (target: Target, settings: TargetSettings): Migrator =>
  new Migrator({ ...settings, connection: target.connection, ...(target.schema !== undefined && { schema: target.schema }) });

/** What the run asks of each target. */
export interface TargetRequest {
  readonly command: FleetCommand;
  /** migrate: up to this version; rollback: down to it. */
  readonly version?: number;
}

/** Runs the command on one target; never throws. */
export async function runTarget(target: Target, wave: string, settings: TargetSettings, request: TargetRequest): Promise<TargetRecord> {
  const started = performance.now();
  let report: RunReport;
  try {
    const migrator = migratorFor(target, settings);
    report =
      request.command === 'migrate'
        ? await migrator.migrate({ ...(request.version !== undefined && { target: request.version }), status: true })
        : await migrator.rollback(request.version !== undefined ? { target: request.version } : { steps: 1 }, { status: true });
  } catch (error) {
    return { id: target.id, wave, status: 'failed', durationMs: Math.round(performance.now() - started), error: errorRecord(error) };
  }
  const done = report.results.filter((r) => r.status === 'success');
  const retries = report.results.reduce((sum, r) => sum + (r.lockRetries ?? 0), 0);
  const to = report.status?.currentVersion;
  const before = report.status && new Set(report.status.applied.map((a) => a.version));
  for (const r of done) {
    if (report.direction === 'up') before?.delete(r.version);
    else before?.add(r.version);
  }
  const from = before === undefined ? undefined : before.size === 0 ? null : Math.max(...before);
  return {
    id: target.id,
    wave,
    status: report.ok ? 'done' : 'failed',
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    applied: done.length,
    lockWaited: report.waitedForLock,
    retries,
    durationMs: Math.round(performance.now() - started),
    ...(report.error && { error: errorRecord(report.error) }),
  };
}

/** The error as the ledger keeps it: code, message, and the file and line when there are. */
export function errorRecord(error: unknown): ErrorRecord {
  const main = (error as Partial<PgshiftError>).problems?.[0];
  if (main === undefined) return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  return {
    code: main.code,
    message: main.message,
    ...(main.file !== undefined && { file: main.file }),
    ...(main.line !== undefined && { line: main.line }),
  };
}

/** The problems of a thrown error, a PgshiftError's own or one for anything else. */
export function problemsOf(error: unknown): Problem[] {
  const own = (error as { problems?: Problem[] }).problems;
  return own ?? [problem('INTERNAL', errorRecord(error).message)];
}
