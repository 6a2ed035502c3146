/**
 * The run's progress as lines, the same in the terminal and in the Actions
 * log: each front end only says where a line goes and how it is coloured.
 */
import { formatDuration } from '../core/duration.js';
import type { Direction, LockRetryEvent, MigrationOutcome, MigratorEvent } from '../core/types.js';

/** What a piece of a line means, for front ends that colour it. */
export type Tone = 'ok' | 'error' | 'warning' | 'muted';
export type Paint = (tone: Tone, text: string) => string;

const plain: Paint = (_, text) => text;

export interface ProgressLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
  /** The line a migration starts with; its result follows. */
  readonly pending?: true;
}

/** `  ✓ migrations/001_users.sql  applied in 12 ms` */
export function outcomeLine(o: MigrationOutcome, direction: Direction, paint: Paint = plain): string {
  const verb = direction === 'up' ? 'applied' : 'rolled back';
  if (o.status === 'success')
    return `  ${paint('ok', '✓')} ${o.file}  ${paint('muted', `${verb} in ${formatDuration(o.durationMs ?? 0)}`)}`;
  if (o.status === 'error') return `  ${paint('error', '✗')} ${o.file}  ${paint('error', 'failed')}`;
  return `  ${paint('muted', '·')} ${o.file}  ${paint('muted', 'not run')}`;
}

/**
 * A line for an event, or undefined for events not shown. `stream` is where
 * a terminal puts it: results on stdout, waits and warnings on stderr.
 * `pending` marks the line a migration starts with, which its result follows.
 */
export function progressLine(event: MigratorEvent, paint: Paint = plain): ProgressLine | undefined {
  switch (event.type) {
    case 'migration-start':
      // Said as it starts, so a long migration is not silence; a terminal may overwrite it with the result.
      return {
        stream: 'out',
        text: `  ${paint('muted', '…')} ${event.migration.path}  ${paint('muted', event.direction === 'up' ? 'applying…' : 'rolling back…')}`,
        pending: true,
      };
    case 'lock-wait':
      return { stream: 'err', text: paint('warning', `waiting for the migration lock, held by ${event.holder}…`) };
    case 'lock-acquired':
      // A wait too short to notice is not worth a line.
      return event.waitedMs > 50 ? { stream: 'err', text: `got the lock after ${(event.waitedMs / 1000).toFixed(1)} s` } : undefined;
    case 'warning':
      return { stream: 'err', text: `${paint('warning', 'warning')}: ${event.problem.message}` };
    case 'lock-retry':
      return { stream: 'err', text: paint('warning', lockRetryText(event)) };
    case 'migration-done':
      return { stream: 'out', text: outcomeLine(event.outcome, event.direction, paint) };
    case 'wait-progress':
      return { stream: 'err', text: waitLine(event) };
    case 'wait-unreachable':
      return {
        stream: 'err',
        text: `${paint('warning', 'the database cannot be reached')}: ${event.reason}; trying again in ${formatDuration(event.retryInMs)}`,
      };
    default:
      return undefined;
  }
}

/** `waiting for version 5: the database is at version 3 (30.00 s so far)` */
function waitLine(e: Extract<MigratorEvent, { type: 'wait-progress' }>): string {
  const at = !e.tableExists
    ? 'the tracking table does not exist yet'
    : e.currentVersion === null
      ? 'no migration is applied yet'
      : `the database is at version ${e.currentVersion}`;
  return `waiting for version ${e.atLeast}: ${at} (${formatDuration(e.waitedMs)} so far)`;
}

/**
 * `  ⟳ migrations/002_orders.sql  lock timeout on orders behind pid 4242 ("psql", idle in transaction, transaction open 12.50 s); retry 1 of 10 in 1.20 s`;
 * a no-transaction migration's statement is named by its line and retried alone.
 */
export function lockRetryText(event: LockRetryEvent): string {
  const where = `${event.migration.path}${event.line !== undefined ? `:${event.line}` : ''}`;
  const on = event.relation !== undefined ? ` on ${event.relation}` : '';
  const behind =
    event.blockers.length === 0
      ? ''
      : ` behind ${event.blockers
          .map((b) => {
            const open = b.transactionMs !== null ? `, transaction open ${formatDuration(b.transactionMs)}` : '';
            return `pid ${b.pid} ("${b.applicationName}"${b.state ? `, ${b.state}` : ''}${open})`;
          })
          .join(', ')}`;
  const whole = event.line === undefined ? '' : ' (this statement)';
  return `  ⟳ ${where}  lock timeout${on}${behind}; retry ${event.retry} of ${event.retries}${whole} in ${formatDuration(event.delayMs)}`;
}
