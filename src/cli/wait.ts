/** `pgshift wait`: its flags, and what it prints. */
import { waitJson, type WaitReport } from '../index.js';
import { formatDuration } from '../frontend/format.js';
import { duration, wholeNumber } from '../frontend/settings.js';
import type { Style } from './output.js';

/** wait's flags: --at-least, --timeout, --interval (the durations in ms). */
export interface WaitFlags {
  readonly atLeast: number;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** wait's flags, checked; undefined when --at-least is missing or bad (the problem is then in `problems`). */
export function waitFlags(
  value: (flag: 'at-least' | 'timeout' | 'interval') => string | undefined,
  problems: string[],
): WaitFlags | undefined {
  const raw = value('at-least');
  if (raw === undefined) problems.push('wait needs --at-least <version>, e.g. pgshift wait --at-least 42');
  const atLeast = raw === undefined ? undefined : wholeNumber('--at-least', raw, 0, problems);
  const timeout = value('timeout');
  const timeoutMs = timeout === undefined ? undefined : duration('--timeout', timeout, problems);
  const interval = value('interval');
  const intervalMs = interval === undefined ? undefined : duration('--interval', interval, problems);
  if (intervalMs === 0) problems.push('--interval must be longer than 0');
  if (atLeast === undefined) return undefined;
  return {
    atLeast,
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(intervalMs !== undefined && intervalMs > 0 && { intervalMs }),
  };
}

/** 0 when reached, 3 when the time ran out first. */
export const waitExitCode = (report: WaitReport): 0 | 3 => (report.reached ? 0 : 3);

/** The JSON document, or the one line that says how the wait ended (stdout when reached, stderr when not). */
export function waitOutput(
  report: WaitReport,
  where: string,
  json: boolean,
  s: Style,
): { readonly stream: 'out' | 'err'; readonly text: string } {
  if (json) return { stream: 'out', text: JSON.stringify(waitJson(report), null, 2) };
  const at = !report.tableExists
    ? 'its tracking table does not exist yet'
    : report.currentVersion === null
      ? 'no migration is applied'
      : `it is at version ${report.currentVersion}`;
  const after = formatDuration(report.waitedMs);
  if (report.reached)
    return {
      stream: 'out',
      text: `${s.green('✓')} ${where} is at version ${report.currentVersion} (at least ${report.atLeast} asked) after ${after}.`,
    };
  return {
    stream: 'err',
    text: `${s.red('✗')} ${where} has not reached version ${report.atLeast} after ${after}: ${at}.`,
  };
}
