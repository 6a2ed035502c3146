/**
 * The settings in one place: each from its flag, else PGSHIFT_<SETTING>,
 * else pgshift.json, else the default, read by one rule wherever it comes
 * from, and a bad one named by where it came from. Pure: the environment and
 * the file's text are given.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToRead, parseArgs, type CliOptions } from '../../src/cli/args.js';
import { exitCodeOf } from '../../src/cli/words.js';
import { directoryFrom } from '../../src/frontend/dir-origin.js';
import { PgshiftError } from '../../src/index.js';
import { checkConfig } from '../../src/source/config-file.js';

type Env = Record<string, string>;

/** The options of `argv` over `env` and a pgshift.json holding `file` (JSON text, or an object to write as JSON). */
const parse = (argv: string[], env: Env = {}, file?: string | object): CliOptions =>
  parseArgs(argv, {
    env,
    ...(file !== undefined && { file: checkConfig(typeof file === 'string' ? file : JSON.stringify(file), 'pgshift.json') }),
  });

/** The error's problems' messages, after checking that it exits 2. */
const refused = (argv: string[], env: Env = {}, file?: string | object): string[] => {
  try {
    parse(argv, env, file);
  } catch (error) {
    expect(error).toBeInstanceOf(PgshiftError);
    expect(exitCodeOf(error as PgshiftError)).toBe(2);
    return (error as PgshiftError).problems.map((p) => p.message);
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
};

describe('where a setting comes from: flag > environment > file > default', () => {
  it('takes dir and lockTimeout from pgshift.json when no flag or variable gives them', () => {
    const options = parse(['status'], {}, { dir: 'db/migrations', lockTimeout: '3s' });
    expect(options.settings).toEqual({
      dir: 'db/migrations',
      table: 'schema_migrations',
      strictOrder: false,
      lockWaitMs: 60000,
      lockTimeoutMs: 3000,
    });
    expect(options.dirFrom).toEqual({ place: 'file', file: 'pgshift.json' });
  });

  it('lets PGSHIFT_DIR override the file, and --dir override both', () => {
    const file = { dir: 'db/migrations' };
    const env = { PGSHIFT_DIR: 'sql' };
    expect(parse(['migrate'], env, file).settings.dir).toBe('sql');
    expect(parse(['migrate'], env, file).dirFrom).toEqual({ place: 'env', file: 'pgshift.json' });
    const flagged = parse(['migrate', '--dir', 'other'], env, file);
    expect(flagged.settings.dir).toBe('other');
    expect(flagged.dirFrom).toBeUndefined();
  });

  it('reads every setting from the environment', () => {
    const env = {
      PGSHIFT_DIR: 'db',
      PGSHIFT_TABLE: 'ops.migrations',
      PGSHIFT_LOCK_WAIT: '5s',
      PGSHIFT_LOCK_TIMEOUT: '500ms',
      PGSHIFT_LOCK_RETRIES: '5',
      PGSHIFT_STATEMENT_TIMEOUT: '2min',
      PGSHIFT_STRICT_ORDER: 'true',
      PGSHIFT_LINT: 'error',
      PGSHIFT_VERIFY_TIMEOUT: '90s',
      PGSHIFT_POSTGRES_VERSION: '16',
      PGSHIFT_POSTGRES_BIN: '/opt/pg/bin',
      PGSHIFT_SCRATCH_URL: 'postgres://scratch@localhost/postgres',
    };
    const options = parse(['verify'], env);
    expect(options.settings).toEqual({
      dir: 'db',
      table: 'ops.migrations',
      strictOrder: true,
      lockWaitMs: 5000,
      lockTimeoutMs: 500,
      lockRetries: 5,
      statementTimeoutMs: 120000,
    });
    expect(options.verify).toEqual({
      postgresVersion: 16,
      scratchUrl: 'postgres://scratch@localhost/postgres',
      postgresBin: '/opt/pg/bin',
      deadlineMs: 90000,
    });
    expect(options.lint).toEqual({ mode: 'error' });
  });

  it('reads every setting from the file: durations as text, or numbers of seconds as the flags take a bare number', () => {
    const file = {
      $schema: './pgshift.schema.json',
      dir: 'db',
      table: 'ops.migrations',
      lockWait: 5,
      lockTimeout: '500ms',
      lockRetries: 7,
      statementTimeout: 1.5,
      strictOrder: true,
      postgresVersion: 16,
      postgresBin: '/opt/pg/bin',
      verifyTimeout: '2min',
      lint: { mode: 'off', rules: { 'drop-column': 'error' } },
    };
    const options = parse(['verify'], {}, file);
    expect(options.settings).toEqual({
      dir: 'db',
      table: 'ops.migrations',
      strictOrder: true,
      lockWaitMs: 5000,
      lockTimeoutMs: 500,
      lockRetries: 7,
      statementTimeoutMs: 1500,
    });
    expect(options.verify).toEqual({ postgresVersion: 16, postgresBin: '/opt/pg/bin', deadlineMs: 120000 });
    expect(options.lint).toEqual({ mode: 'off', rules: { 'drop-column': 'error' } });
  });

  it('takes the first place that gives a value, setting by setting', () => {
    const file = { lockTimeout: '1s', lockWait: '1s', table: 'from_file', strictOrder: true };
    const env = { PGSHIFT_LOCK_TIMEOUT: '2s', PGSHIFT_STRICT_ORDER: 'false' };
    const options = parse(['migrate', '--lock-timeout', '3s'], env, file);
    expect(options.settings).toEqual({ dir: 'migrations', table: 'from_file', strictOrder: false, lockWaitMs: 1000, lockTimeoutMs: 3000 });
  });

  it('turns strict order off with --no-strict-order, whatever the environment and the file say', () => {
    expect(parse(['migrate'], { PGSHIFT_STRICT_ORDER: 'true' }).settings.strictOrder).toBe(true);
    expect(parse(['migrate', '--no-strict-order'], { PGSHIFT_STRICT_ORDER: 'TRUE' }, { strictOrder: true }).settings.strictOrder).toBe(
      false,
    );
    expect(refused(['migrate', '--strict-order', '--no-strict-order'])).toEqual([
      expect.stringContaining('--strict-order and --no-strict-order cannot be used together'),
    ]);
  });

  it('counts an empty variable as unset, as an empty input is', () => {
    expect(parse(['status'], { PGSHIFT_DIR: '', PGSHIFT_LOCK_TIMEOUT: ' ' }, { dir: 'db' }).settings).toMatchObject({ dir: 'db' });
    expect(parse(['status'], { PGSHIFT_DIR: '' }).dirFrom).toEqual({ place: 'default', file: 'pgshift.json' });
  });

  it("sets the lint mode by --lint, else PGSHIFT_LINT, else the file's lint.mode", () => {
    const file = { lint: { mode: 'off' } };
    expect(parse(['plan'], {}, file).lint).toEqual({ mode: 'off' });
    expect(parse(['plan'], { PGSHIFT_LINT: 'error' }, file).lint).toEqual({ mode: 'error' });
    expect(parse(['plan', '--lint', 'warn'], { PGSHIFT_LINT: 'error' }, file).lint).toEqual({ mode: 'warn' });
    // Only lint, plan and verify lint: the others carry no lint settings.
    expect(parse(['migrate'], { PGSHIFT_LINT: 'error' }, file).lint).toBeUndefined();
  });

  it("gives lint the PostgreSQL major by --postgres-version, else PGSHIFT_POSTGRES_VERSION, else the file's lint.postgresVersion, else its postgresVersion", () => {
    const both = { postgresVersion: 17, lint: { postgresVersion: 13 } };
    expect(parse(['lint'], {}, { postgresVersion: 17 }).lint).toEqual({ postgresVersion: 17 });
    expect(parse(['lint'], {}, both).lint).toEqual({ postgresVersion: 13 });
    expect(parse(['lint'], { PGSHIFT_POSTGRES_VERSION: '15' }, both).lint).toEqual({ postgresVersion: 15 });
    expect(parse(['lint', '--postgres-version', '12'], { PGSHIFT_POSTGRES_VERSION: '15' }, both).lint).toEqual({ postgresVersion: 12 });
    // verify proves on the top-level one; its lint follows the server's version.
    expect(parse(['verify'], {}, both).verify?.postgresVersion).toBe(17);
  });

  it('leaves the verify-only settings to verify', () => {
    const options = parse(['lint'], { PGSHIFT_SCRATCH_URL: 'postgres://x@y/z', PGSHIFT_VERIFY_TIMEOUT: '1min' }, { postgresBin: '/opt' });
    expect(options.verify).toEqual({});
    expect(parse(['status'], { PGSHIFT_SCRATCH_URL: 'postgres://x@y/z' }).verify).toBeUndefined();
  });
});

describe('a bad setting, named by where it came from', () => {
  it('names the variable, the file entry and the flag, all in one error', () => {
    const messages = refused(['migrate', '--lock-wait', 'soon'], { PGSHIFT_LOCK_TIMEOUT: '3 parsecs' }, { statementTimeout: 'forever' });
    expect(messages).toEqual([
      '--lock-wait must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "soon"',
      'PGSHIFT_LOCK_TIMEOUT must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "3 parsecs"',
      'pgshift.json: statementTimeout must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "forever"',
    ]);
  });

  it("checks each value by its flag's rule", () => {
    expect(
      refused(['verify'], {
        PGSHIFT_TABLE: 'a.b.c',
        PGSHIFT_STRICT_ORDER: 'yes',
        PGSHIFT_LINT: 'loud',
        PGSHIFT_POSTGRES_VERSION: '8',
        PGSHIFT_VERIFY_TIMEOUT: '0',
      }),
    ).toEqual([
      'PGSHIFT_TABLE: invalid tracking table name "a.b.c": at most one dot (schema.table)',
      'PGSHIFT_STRICT_ORDER must be true or false, got "yes"',
      'PGSHIFT_LINT must be error, warn or off, got "loud"',
      'PGSHIFT_POSTGRES_VERSION must be a major version from 9 to 99, such as 16, got "8"',
      'PGSHIFT_VERIFY_TIMEOUT must be longer than 0',
    ]);
    expect(refused(['status'], {}, { dir: '', lockWait: -1, postgresVersion: 8.5, table: 'x y' })).toEqual([
      'pgshift.json: dir must not be empty',
      'pgshift.json: table: invalid tracking table name "x y": each part must start with a letter or underscore and hold only letters, digits, _ and $',
      'pgshift.json: lockWait must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "-1"',
      'pgshift.json: postgresVersion must be a major version from 9 to 99, such as 16, got "8.5"',
    ]);
  });

  it('reports a bad value even where a flag overrides it, so that it is found on the first run', () => {
    expect(refused(['migrate', '--lock-timeout', '1s'], { PGSHIFT_LOCK_TIMEOUT: 'soon' })).toEqual([
      expect.stringContaining('PGSHIFT_LOCK_TIMEOUT'),
    ]);
  });

  it('says what to do in each place', () => {
    try {
      parse(['status'], { PGSHIFT_LOCK_WAIT: 'x' }, { lockWait: 'y' });
    } catch (error) {
      expect((error as PgshiftError).message).toBe('2 problems with the settings');
      expect((error as PgshiftError).problems.map((p) => p.hint)).toEqual([
        'correct PGSHIFT_LOCK_WAIT, or unset it',
        'correct "lockWait" in pgshift.json',
      ]);
    }
    expect.assertions(2);
  });

  it('refuses a URL or a password in the file, without showing it, and says to use the environment', () => {
    const check = checkConfig(
      JSON.stringify({
        scratchUrl: 'postgres://u:hunter2@h/d',
        databaseUrl: 'postgres://u:hunter2@h/d',
        connection: { password: 'hunter2' },
        'database-url': 'x',
      }),
      'pgshift.json',
    );
    expect(check.problems.map((p) => p.message)).toEqual([
      'pgshift.json: "scratchUrl" is refused: a URL or a password does not belong in a committed file',
      'pgshift.json: "databaseUrl" is refused: a URL or a password does not belong in a committed file',
      'pgshift.json: "connection" is refused: a URL or a password does not belong in a committed file',
      'pgshift.json: "database-url" is refused: a URL or a password does not belong in a committed file',
    ]);
    expect(check.problems[0]?.hint).toContain('PGSHIFT_SCRATCH_URL in the environment');
    expect(check.problems[1]?.hint).toContain('DATABASE_URL');
    expect(JSON.stringify(check)).not.toContain('hunter2');
    expect(refused(['status'], {}, { scratchUrl: 'postgres://u:hunter2@h/d' })).toEqual([
      expect.stringContaining('"scratchUrl" is refused'),
    ]);
  });

  it('names an unknown key with the one meant, and a value of the wrong JSON type', () => {
    expect(refused(['status'], {}, { 'lock-timeout': '3s', dir: 5, strictOrder: 'yes', lint: 'error' })).toEqual([
      'pgshift.json: unknown setting "lock-timeout" (did you mean lockTimeout?)',
      'pgshift.json: dir must be a string, got a number',
      'pgshift.json: strictOrder must be true or false, got a string',
      'pgshift.json: lint must be an object',
    ]);
    expect(refused(['status'], {}, '{ "dir": ')).toEqual([expect.stringContaining('pgshift.json is not valid JSON')]);
  });

  it('reports the command line, the variables and the file together', () => {
    const messages = refused(['migrat', '--dir', ''], { PGSHIFT_LINT: 'loud' }, { extra: 1 });
    expect(messages).toEqual([
      expect.stringMatching(/unknown command "migrat".*; --dir must not be empty$/),
      'pgshift.json: unknown setting "extra"',
      'PGSHIFT_LINT must be error, warn or off, got "loud"',
    ]);
  });

  it('lets help and the version answer whatever the environment and the file hold', () => {
    expect(parse(['--help'], { PGSHIFT_LOCK_TIMEOUT: 'soon' }, '{ "dir": ').command).toBe('help');
    expect(parse(['--version'], { PGSHIFT_LINT: 'loud' }, { scratchUrl: 'x' }).command).toBe('version');
    expect(parse(['lint', '--rules'], { PGSHIFT_LINT: 'loud' }).listRules).toBe(true);
  });

  it('does not even open the file for help, the version or the rules, and opens the one --config names otherwise', () => {
    for (const argv of [['--help'], ['-v'], ['migrate', '--help'], ['help', 'plan'], ['lint', '--rules', '--config', 'x.json']])
      expect(configToRead(argv), argv.join(' ')).toBeUndefined();
    expect(configToRead(['status'])).toEqual({ path: undefined });
    expect(configToRead(['verify', '--config', 'ci.json'])).toEqual({ path: 'ci.json' });
  });
});

describe('the migrations directory, when it is not there', () => {
  const missing = async () => join(await mkdtemp(join(tmpdir(), 'pgshift-settings-')), 'db', 'migrations');
  const errorOf = async (dir: string, place: 'env' | 'file' | 'default') => {
    const error = await directoryFrom(dir, { place, file: 'pgshift.json' })
      .read()
      .then(
        () => undefined,
        (e: unknown) => e as PgshiftError,
      );
    expect(error?.code).toBe('DIR_NOT_FOUND');
    expect(exitCodeOf(error!)).toBe(2);
    return error!.problem;
  };

  it('names where the directory was set, and the fix there', async () => {
    const dir = await missing();
    expect(await errorOf(dir, 'file')).toMatchObject({
      message: `migrations directory ${dir} does not exist (from "dir" in pgshift.json)`,
      hint: 'create it, or correct "dir" in pgshift.json (PGSHIFT_DIR and --dir override it)',
    });
    expect(await errorOf(dir, 'env')).toMatchObject({
      message: `migrations directory ${dir} does not exist (from PGSHIFT_DIR)`,
      hint: 'create it, or set PGSHIFT_DIR to the right one (--dir overrides it)',
    });
    expect(await errorOf(dir, 'default')).toMatchObject({
      message: `migrations directory ${dir} does not exist (the default: no --dir, PGSHIFT_DIR or "dir" in pgshift.json named one)`,
      hint: 'create it, or name the right one with --dir, PGSHIFT_DIR or "dir" in pgshift.json',
    });
  });
});

describe('drift settings', () => {
  it("give drift and migrate the scratch server's settings, the file's exclude patterns and --drift's mode", () => {
    const file = { postgresBin: '/opt/pg/bin', drift: { exclude: ['public.*_p20*', 'audit.*'] } };
    expect(parse(['drift'], { PGSHIFT_SCRATCH_URL: 'postgres://x@y/z' }, file).drift).toEqual({
      scratchUrl: 'postgres://x@y/z',
      postgresBin: '/opt/pg/bin',
      exclude: ['public.*_p20*', 'audit.*'],
    });
    expect(parse(['migrate', '--drift', 'warn'], {}, file).drift).toMatchObject({ mode: 'warn', exclude: ['public.*_p20*', 'audit.*'] });
    expect(parse(['migrate'], {}, file).drift).toBeUndefined();
    expect(parse(['status'], {}, file).drift).toBeUndefined();
  });

  it('refuses a drift entry that is not an object of patterns, naming each bad one', () => {
    expect(refused(['drift'], {}, { drift: ['public.*'] })).toEqual(['pgshift.json: drift must be an object']);
    expect(refused(['drift'], {}, { drift: { exclude: 'public.*' } })).toEqual(['pgshift.json: drift.exclude must be a list of patterns']);
    expect(refused(['drift'], {}, { drift: { exclude: ['public.*', '', ' x', 3], include: [] } })).toEqual([
      'pgshift.json: drift.exclude[1] must be a pattern on qualified names, got ""',
      'pgshift.json: drift.exclude[2] must be a pattern on qualified names, got " x"',
      'pgshift.json: drift.exclude[3] must be a pattern on qualified names, got a number',
      'pgshift.json: unknown setting "drift.include"',
    ]);
  });

  it('refuses a bad --drift, --drift outside migrate, and a scratch flag on migrate without a drift check', () => {
    expect(refused(['migrate', '--drift', 'maybe'])).toEqual([expect.stringContaining('--drift must be fail, warn or off, got "maybe"')]);
    expect(refused(['plan', '--drift', 'fail'])).toEqual([expect.stringContaining('--drift is only for migrate')]);
    expect(refused(['migrate', '--scratch-url', 'postgres://x@y/z'])).toEqual([
      expect.stringContaining('--scratch-url is for migrate only with --drift fail or warn'),
    ]);
    expect(refused(['status', '--postgres-bin', '/opt'])).toEqual([
      expect.stringContaining('--postgres-bin is only for verify, drift and migrate --drift'),
    ]);
  });
});
