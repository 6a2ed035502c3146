/**
 * The command line's checks that need no value read: a flag given to a
 * command that does not take it, and "did you mean" for a mistyped command.
 */
import type { DriftSettings } from '../frontend/drift.js';
import type { CliOptions, Tokens } from './args.js';

/** The flags of the scratch server verify and drift start. */
export const VERIFY_FLAGS = ['scratch-url', 'postgres-bin', 'verify-timeout'] as const;

/** Flags given to a command that takes none of them, or together with one they exclude. */
export function misplacedFlags(
  command: CliOptions['command'],
  given: {
    readonly values: Tokens['values'];
    readonly flags: Tokens['flags'];
    readonly rest: readonly string[];
    readonly target: number | undefined;
    readonly steps: number | undefined;
    readonly mode: DriftSettings['mode'];
  },
): string[] {
  const { values, flags, rest, target, steps, mode } = given;
  const problems: string[] = [];
  if (target !== undefined && steps !== undefined) problems.push('--target and --steps cannot be used together');
  if (steps !== undefined && command !== 'rollback') problems.push('--steps is only for rollback');
  if (target !== undefined && !['migrate', 'rollback', 'plan'].includes(command))
    problems.push(`--target is only for migrate, plan and rollback`);
  const scratch = ['verify', 'drift', 'migrate'].includes(command);
  for (const flag of VERIFY_FLAGS)
    if (values.has(flag) && !scratch) problems.push(`--${flag} is only for verify, drift and migrate --drift`);
  if (values.has('base') && command !== 'verify' && command !== 'lint') problems.push(`--base is only for verify and lint`);
  if (values.has('postgres-version') && !scratch && command !== 'lint')
    problems.push(`--postgres-version is only for verify, lint, drift and migrate --drift`);
  if (command === 'migrate' && (mode === undefined || mode === 'off'))
    for (const flag of [...VERIFY_FLAGS, 'postgres-version'] as const)
      if (values.has(flag)) problems.push(`--${flag} is for migrate only with --drift fail or warn`);
  if (values.has('drift') && command !== 'migrate')
    problems.push(command === 'drift' ? '--drift is for migrate (pgshift drift always checks)' : '--drift is only for migrate');
  if (values.has('lint') && !['lint', 'plan', 'verify'].includes(command)) problems.push(`--lint is only for lint, plan and verify`);
  if (flags.has('rules') && command !== 'lint') problems.push('--rules is only for lint');
  if (command === 'lint' && values.has('base') && rest.length > 0) problems.push('lint takes files or --base, not both');
  if (flags.has('dry-run') && command !== 'repair')
    problems.push(
      command === 'migrate'
        ? `--dry-run is only for repair (did you mean pgshift plan, which shows what migrate would run?)`
        : '--dry-run is only for repair',
    );
  if (flags.has('superuser') && command !== 'verify') problems.push('--superuser is only for verify');
  if (values.has('rehearse-rows') && command !== 'verify') problems.push('--rehearse-rows is only for verify');
  for (const flag of ['targets', 'targets-sql'] as const)
    if (values.has(flag) && command !== 'verify') problems.push(`--${flag} is only for verify here (and for pgshift fleet)`);
  if (flags.has('fleet') && command !== 'verify') problems.push('--fleet is only for verify (pgshift fleet is a command of its own)');
  if (values.has('targets') && values.has('targets-sql')) problems.push('--targets and --targets-sql cannot be used together');
  if (flags.has('check') && command !== 'status') problems.push('--check is only for status');
  for (const flag of ['at-least', 'timeout', 'interval'] as const)
    if (values.has(flag) && command !== 'wait') problems.push(`--${flag} is only for wait`);
  if (flags.has('strict-order') && flags.has('no-strict-order'))
    problems.push('--strict-order and --no-strict-order cannot be used together');
  return problems;
}

/** Other tools' words for pgshift's commands: named in the error, not taken, so that one word means one thing. */
export const ALIASES: Readonly<Record<string, string>> = {
  up: 'migrate',
  apply: 'migrate',
  deploy: 'migrate',
  down: 'rollback',
  undo: 'rollback',
  revert: 'rollback',
  new: 'create',
  generate: 'create',
  add: 'create',
  info: 'status',
  check: 'validate',
  test: 'verify',
};

/** ` (did you mean migrate?)` for a word close to one of `options` (flags are written `--name`); empty when none is. */
export function suggest(word: string, options: readonly string[], flags = false): string {
  const close = options.find((o) => distance(word, o) <= 2);
  if (close === undefined) return '';
  return ` (did you mean ${flags ? `--${close}` : close}?)`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
