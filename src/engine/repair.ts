import { fail, problem, type Problem } from '../core/problem.js';
import { parseSections } from '../core/sections.js';
import { significantSql } from '../core/sql-normalize.js';
import { qualify } from '../core/table-name.js';
import type { AppliedMigration, MigrationFile } from '../core/types.js';
import { createParser } from '../core/migration.js';
import { databaseError } from '../postgres/database-error.js';
import { takeLock } from '../postgres/lock.js';
import { recordChecksum } from '../postgres/sql.js';
import { readTracking } from '../postgres/tracking.js';
import { readEntries } from '../source/migration-files.js';
import type { Settings } from '../options.js';
import { historyOf } from './inspect.js';
import { openAll, requireConnection } from './open.js';

/** An applied migration whose recorded checksum `repair` brings up to date, and why that is safe. */
export interface Repaired {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  /**
   * `no-checksum`: the row has none (pycopg wrote it); `formatting`: only
   * comments or white space changed since it was applied; `down`: only its
   * DOWN part changed (or was added), which never ran, so what was applied
   * is what the file's UP says.
   */
  readonly reason: 'no-checksum' | 'formatting' | 'down';
  /** For `formatting`: the lines that differ, `- ` as applied, `+ ` as now. */
  readonly diff: readonly string[];
}

export interface RepairReport {
  readonly ok: boolean;
  /** True when nothing was written (asked for a dry run). */
  readonly dryRun: boolean;
  readonly repaired: readonly Repaired[];
  /** Applied files that changed in more than comments and white space, or whose applied content cannot be found. */
  readonly problems: readonly Problem[];
}

export interface RepairOptions {
  /** Only say what would be recorded. */
  readonly dryRun?: boolean;
  /** The earlier contents of a file, newest first (`earlierContents` reads them from git). */
  readonly earlier?: (file: MigrationFile) => AsyncIterable<Uint8Array>;
}

/**
 * Records the current checksums of applied files where that loses nothing:
 * a row pycopg wrote without one, and a file whose only change since it was
 * applied is in comments or white space, or in its DOWN part (which never ran) (its applied content is found by
 * its recorded checksum among its earlier versions, and both are parsed and
 * compared part by part). Never touches the schema; any other change is
 * refused with the reason.
 */
export async function repair(settings: Settings, options: RepairOptions): Promise<RepairReport> {
  const { listing, session, tracking } = await openAll(settings);
  const lock = options.dryRun
    ? undefined
    : await takeLock(requireConnection(settings.connection), settings, { table: settings.table, waitMs: settings.lockWaitMs }).catch(
        async (error: unknown) => {
          await session.close();
          throw error;
        },
      );
  try {
    const table = lock ? qualify(settings.table, lock.schema) : settings.table;
    const rows = lock ? (await readTracking(session.client, table)).rows : tracking.rows;
    const history = historyOf(listing, rows, settings, createParser());
    const repaired: Repaired[] = [];
    const problems: Problem[] = [];
    for (const applied of history.applied) {
      const file = history.byVersion.get(applied.version);
      if (!file || applied.fileState === 'ok' || applied.fileState === 'missing') continue;
      const found = await judge(applied, file, options.earlier);
      if ('code' in found) problems.push(found);
      else repaired.push(found);
    }
    if (lock && problems.length === 0) {
      for (const r of repaired) {
        const file = history.byVersion.get(r.version)!;
        const before = rows.find((row) => row.version === r.version)?.checksum ?? null;
        const result = await session.client.query(recordChecksum(table), [file.checksum, r.version, before]).catch((error: unknown) => {
          throw databaseError(error, `recording the checksum of ${r.file} in ${table.display}`);
        });
        if (result.rowCount === 0)
          throw fail('TRACKING_TABLE_INVALID', `the tracking row of ${r.file} changed while repair ran`, { hint: 'run repair again' });
      }
    }
    return { ok: problems.length === 0, dryRun: options.dryRun === true || problems.length > 0, repaired, problems };
  } finally {
    await session.close();
    await lock?.release();
  }
}

async function judge(applied: AppliedMigration, file: MigrationFile, earlier?: RepairOptions['earlier']): Promise<Repaired | Problem> {
  const at = { file: file.path, version: file.version };
  if (file.name !== applied.name) {
    return problem('NAME_MISMATCH', `${file.path} is applied under the name "${applied.name}"; repair does not rename`, {
      ...at,
      hint: `rename the file back to ${file.fileName.slice(0, file.fileName.indexOf('_'))}_${applied.name}.sql`,
    });
  }
  if (applied.checksum === null) return { version: file.version, name: file.name, file: file.path, reason: 'no-checksum', diff: [] };
  for await (const bytes of earlier?.(file) ?? []) {
    const [old] = (await readEntries([{ fileName: file.fileName, path: file.path, read: () => bytes }])).files;
    if (old?.checksum !== applied.checksum) continue;
    const same = sameSql(old.text, file.text, file.path);
    if (same === 'different') {
      return problem('CHECKSUM_MISMATCH', `${file.path} changed in its UP since it was applied, not only in comments or white space`, {
        ...at,
        hint: 'restore the applied content (e.g. git checkout the file) and put the change in a new migration',
      });
    }
    return { version: file.version, name: file.name, file: file.path, reason: same, diff: lineDiff(old.text, file.text) };
  }
  return problem('CHECKSUM_MISMATCH', `${file.path} was edited after it was applied, and its applied content is not in its git history`, {
    ...at,
    hint: 'restore the applied content, or run repair in the checkout that has its history',
  });
}

/**
 * How two versions of a file differ once comments and white space are set
 * aside: not at all (`formatting`), in the DOWN part only (`down`), or in
 * what was applied (the transaction mode or the UP).
 */
function sameSql(before: string, after: string, path: string): 'formatting' | 'down' | 'different' {
  const a = parseSections(before, path);
  const b = parseSections(after, path);
  if ('code' in a || 'code' in b) return 'different';
  if (a.transaction !== b.transaction || significantSql(a.up.sql) !== significantSql(b.up.sql)) return 'different';
  return significantSql(a.down?.sql ?? '') === significantSql(b.down?.sql ?? '') ? 'formatting' : 'down';
}

/** The lines only one side has, at most 20: enough to show what a formatting change was. */
function lineDiff(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  const now = new Set(after.split('\n'));
  const lines = [
    ...before
      .split('\n')
      .filter((l) => !now.has(l))
      .map((l) => `- ${l}`),
    ...after
      .split('\n')
      .filter((l) => !old.has(l))
      .map((l) => `+ ${l}`),
  ];
  return lines.length > 20 ? [...lines.slice(0, 20), `… ${lines.length - 20} more lines`] : lines;
}
