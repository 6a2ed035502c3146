import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { colourWanted } from '../../src/cli/run.js';
import { exitCodeOf } from '../../src/cli/words.js';
import { PgshiftError } from '../../src/index.js';
import { parseDuration } from '../../src/core/duration.js';

const usage = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(PgshiftError);
    expect(exitCodeOf(e as PgshiftError)).toBe(2);
    return (e as PgshiftError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('command line', () => {
  it('gives defaults', () => {
    expect(parseArgs(['status'])).toEqual({
      command: 'status',
      json: false,
      settings: { dir: 'migrations', table: 'schema_migrations', strictOrder: false, lockWaitMs: 60000 },
      // No --dir: an error about the directory says it was the default.
      dirFrom: { place: 'default', file: 'pgshift.json' },
    });
  });

  it('reads every option in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs([
        'migrate',
        '--dir',
        'db',
        '--database-url=postgres://x',
        '--table',
        'ops.m',
        '--target=5',
        '--strict-order',
        '--lock-wait',
        '5s',
        '--lock-timeout',
        '500ms',
        '--lock-retries=3',
        '--statement-timeout=2min',
        '--json',
      ]),
    ).toEqual({
      command: 'migrate',
      databaseUrl: 'postgres://x',
      target: 5,
      json: true,
      settings: {
        dir: 'db',
        table: 'ops.m',
        strictOrder: true,
        lockWaitMs: 5000,
        lockTimeoutMs: 500,
        lockRetries: 3,
        statementTimeoutMs: 120000,
      },
    });
  });

  it('takes the name of create from the words after it', () => {
    expect(parseArgs(['create', 'add', 'orders']).name).toBe('add orders');
    expect(usage(['create'])).toContain('create needs a name');
  });

  it('refuses unknown commands and flags with a suggestion', () => {
    expect(usage(['migrat'])).toContain('did you mean migrate');
    expect(usage(['migrate', '--stepz', '2'])).toContain('unknown option --stepz (did you mean --steps?)');
    expect(usage([])).toContain('no command');
  });

  it('refuses non-integer, negative and zero --steps, and negative --target', () => {
    for (const v of ['0', '-1', '1.5', 'abc', '']) expect(usage(['rollback', '--steps', v])).toMatch(/--steps/);
    expect(usage(['rollback', '--target', '-3'])).toContain('--target must be a whole number');
    expect(parseArgs(['rollback', '--target', '0']).target).toBe(0);
  });

  it('refuses --steps and --target together, and --steps outside rollback', () => {
    expect(usage(['rollback', '--steps', '1', '--target', '2'])).toContain('cannot be used together');
    expect(usage(['migrate', '--steps', '1'])).toContain('only for rollback');
  });

  it('reports every problem at once', () => {
    const message = usage(['migrate', '--bogus', '--lock-wait', 'soon']);
    expect(message).toContain('--bogus');
    expect(message).toContain('--lock-wait');
  });

  it('reads durations with units; a bare number is seconds', () => {
    expect(parseDuration('30')).toBe(30000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2min')).toBe(120000);
    expect(parseDuration('-1s')).toBeUndefined();
    expect(parseDuration('5 parsecs')).toBeUndefined();
  });

  it('answers --help and --version without a command', () => {
    expect(parseArgs(['--help']).command).toBe('help');
    expect(parseArgs(['-v']).command).toBe('version');
  });
});

describe('words from other tools', () => {
  it('name the pgshift command meant: up, new, down, and --dry-run on migrate', () => {
    const usage = (argv: string[]) => {
      try {
        parseArgs(argv);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(usage(['up'])).toContain('unknown command "up" (did you mean migrate?)');
    expect(usage(['new', 'add_users'])).toContain('(did you mean create?)');
    expect(usage(['down'])).toContain('(did you mean rollback?)');
    expect(usage(['migrate', '--dry-run'])).toContain('did you mean pgshift plan');
  });
});

describe('colour', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(colourWanted(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(true, { TERM: 'dumb' })).toBe(false);
    expect(colourWanted(true, {})).toBe(true);
    expect(colourWanted(false, {})).toBe(false);
  });
});

describe('deploy gates on the command line', () => {
  it('reads wait --at-least with its timeout and interval as durations, and status --check', () => {
    expect(parseArgs(['wait', '--at-least', '20240101120000', '--timeout', '2min', '--interval=500ms'])).toMatchObject({
      command: 'wait',
      wait: { atLeast: 20240101120000, timeoutMs: 120_000, intervalMs: 500 },
    });
    expect(parseArgs(['wait', '--at-least', '3']).wait).toEqual({ atLeast: 3 });
    expect(parseArgs(['status', '--check'])).toMatchObject({ command: 'status', check: true });
    expect(parseArgs(['status']).check).toBeUndefined();
  });

  it('refuses wait without --at-least, and the gates flags elsewhere, all at once', () => {
    expect(usage(['wait', '--interval', '0'])).toBe(
      'wait needs --at-least <version>, e.g. pgshift wait --at-least 42; --interval must be longer than 0',
    );
    expect(usage(['plan', '--check', '--at-least', '1', '--interval', '1s'])).toBe(
      '--check is only for status; --at-least is only for wait; --interval is only for wait',
    );
  });
});
