/**
 * The action's pure modules, without a database or a process: event → command,
 * input parsing, comment rendering, redaction.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { commentMarker, COMMENT_LIMIT, renderPlanComment } from '../../src/action/comment.js';
import { chooseCommand, eventInfo } from '../../src/action/event.js';
import { actionSettings, parseInputs } from '../../src/action/inputs.js';
import { redacting } from '../../src/action/secrets.js';
import type { Plan, PlannedMigration, Problem } from '../../src/index.js';
import { redactor, runSecrets } from '../../src/frontend/secrets.js';
import { lintSection } from '../../src/action/lint-comment.js';
import { checkConfig } from '../../src/source/config-file.js';
import { PgshiftError } from '../../src/index.js';

const inputsFrom = (values: Record<string, string>) => parseInputs((name) => values[name] ?? '');
/** The settings of a run with these inputs, over `env` and a pgshift.json holding `file`. */
const settingsOf = (values: Record<string, string>, env: Record<string, string> = {}, file?: object) =>
  actionSettings(inputsFrom(values), env, file === undefined ? undefined : checkConfig(JSON.stringify(file), 'pgshift.json'));
const push = (branch: string) =>
  eventInfo('push', { ref: `refs/heads/${branch}`, repository: { default_branch: 'main', full_name: 'acme/shop' } });

describe('choosing the command from the event', () => {
  it.each([
    ['pull_request', eventInfo('pull_request', { number: 3, pull_request: { number: 3 } }), 'verify'],
    ['pull_request_target', eventInfo('pull_request_target', { number: 3 }), 'verify'],
    ['a push to the default branch', push('main'), 'migrate'],
    ['a push to another branch', push('feature'), 'status'],
    ['a tag push', eventInfo('push', { ref: 'refs/tags/v1', repository: { default_branch: 'main' } }), 'status'],
    ['a push whose payload lacks the default branch', eventInfo('push', { ref: 'refs/heads/main' }), 'status'],
    ['workflow_dispatch', eventInfo('workflow_dispatch', {}), 'status'],
    ['schedule', eventInfo('schedule', {}), 'status'],
    ['merge_group', eventInfo('merge_group', { merge_group: { head_sha: 'b'.repeat(40), base_sha: 'a'.repeat(40) } }), 'verify'],
  ])('auto on %s → %s', (_, event, expected) => {
    expect(chooseCommand('auto', event, false).command).toBe(expected);
  });

  it('refuses migrate and rollback on pull-request events unless allowed, and says why', () => {
    const pr = eventInfo('pull_request', { number: 3 });
    expect(() => chooseCommand('migrate', pr, false)).toThrow(
      /refusing to migrate on a pull_request event: .*before it is reviewed and merged/,
    );
    expect(() => chooseCommand('rollback', eventInfo('pull_request_target', {}), false)).toThrow(/allow-apply-on-pull-request: true/);
    expect(chooseCommand('migrate', pr, true).command).toBe('migrate');
    expect(chooseCommand('plan', pr, false).command).toBe('plan');
    expect(chooseCommand('rollback', eventInfo('workflow_dispatch', {}), false).command).toBe('rollback');
    // A merge queue's entry is not merged yet either.
    expect(() => chooseCommand('migrate', eventInfo('merge_group', {}), false)).toThrow(/refusing to migrate on a merge_group event/);
  });

  it('reads a merge queue entry and the commits a push brought, keeping only well-formed commit ids', () => {
    const group = eventInfo('merge_group', {
      merge_group: {
        head_sha: 'b'.repeat(40),
        base_sha: 'a'.repeat(40),
        base_ref: 'refs/heads/main',
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-1',
      },
    });
    expect(group.mergeGroup).toEqual({ headSha: 'b'.repeat(40), baseSha: 'a'.repeat(40), baseRef: 'main' });
    expect(group.pullRequest).toBeUndefined();
    const pushed = eventInfo('push', {
      after: 'c'.repeat(40),
      head_commit: { id: 'c'.repeat(40) },
      commits: [{ id: 'a'.repeat(40) }, { id: '../../user' }, null, { id: 'c'.repeat(40) }],
    });
    expect(pushed.pushed).toEqual(['a'.repeat(40), 'c'.repeat(40)]);
  });
});

describe('inputs', () => {
  it('have the same defaults as action.yml', async () => {
    const yaml = await readFile(new URL('../../action.yml', import.meta.url), 'utf8');
    const section = yaml.slice(yaml.indexOf('\ninputs:'), yaml.indexOf('\noutputs:'));
    const defaults = Object.fromEntries(
      [...section.matchAll(/^ {2}([a-z-]+):\n(?:^ {4}.*\n)*?^ {4}default: (.*)$/gm)].map((m) => [
        m[1],
        (m[2] ?? '').replace(/^'(.*)'$/, '$1'),
      ]),
    );
    expect(Object.keys(defaults)).toEqual([
      'connection',
      'dir',
      'command',
      'target',
      'steps',
      'table',
      'github-token',
      'comment',
      'strict-order',
      'lock-wait',
      'lock-timeout',
      'lock-retries',
      'statement-timeout',
      'base',
      'scratch-url',
      'lint',
      'config',
      'postgres-version',
      'postgres-bin',
      'drift',
      'verify-timeout',
      'superuser',
      'rehearse-rows',
      'fleet',
      'targets',
      'targets-sql',
      'allow-apply-on-pull-request',
    ]);
    const fromYaml = inputsFrom({ ...defaults, 'github-token': 'tok' });
    expect(fromYaml).toEqual(inputsFrom({ 'github-token': 'tok' }));
    // The settings pgshift.json can hold have no default in action.yml: none is given, so the environment and the file decide.
    expect(fromYaml).toEqual({
      command: 'auto',
      steps: 1,
      comment: true,
      allowApplyOnPullRequest: false,
      superuser: false,
      drift: 'fail',
      layered: {},
    });
    expect(actionSettings(fromYaml, {}, undefined)).toEqual({
      settings: { dir: 'migrations', table: 'schema_migrations', strictOrder: false, lockWaitMs: 60_000 },
      dirFrom: { place: 'default', file: 'pgshift.json', flag: 'the dir input' },
      lint: {},
      lintMode: 'warn',
      verify: {},
      drift: { mode: 'fail', exclude: [], env: {} },
    });
  });

  it("take verify's fleet from the fleet, targets or targets-sql input, never two lists at once", () => {
    expect(inputsFrom({}).fleet).toBeUndefined();
    expect(inputsFrom({ fleet: 'false' }).fleet).toBeUndefined();
    expect(inputsFrom({ fleet: 'true' }).fleet).toEqual({});
    expect(inputsFrom({ targets: 'targets.json' }).fleet).toEqual({ targetsFile: 'targets.json' });
    expect(inputsFrom({ 'targets-sql': 'SELECT id FROM t' }).fleet).toEqual({ targetsSql: 'SELECT id FROM t' });
    expect(() => inputsFrom({ targets: 'a.json', 'targets-sql': 'SELECT 1' })).toThrow(/targets and targets-sql cannot be used together/);
    expect(() => inputsFrom({ fleet: 'maybe' })).toThrow(/fleet/);
  });

  it("check drift before the apply by default, with the config file's exclude patterns; drift: off does not", () => {
    const file = { postgresBin: '/opt/pg', drift: { exclude: ['public.*_p20*'] } };
    expect(settingsOf({ drift: 'warn' }, { RUNNER_TEMP: '/tmp/r' }, file).drift).toMatchObject({
      mode: 'warn',
      postgresBin: '/opt/pg',
      exclude: ['public.*_p20*'],
      tempRoot: '/tmp/r',
    });
    expect(settingsOf({ drift: 'off' }, {}, file).drift).toBeUndefined();
    expect(() => inputsFrom({ drift: 'strict' })).toThrow('drift must be fail, warn or off, got "strict"');
  });

  it('leave the lint mode to the file when empty, and win when given: the lint input no longer overrides lint.mode by default', () => {
    const file = { lint: { mode: 'error', rules: { 'drop-column': 'off' } } };
    expect(settingsOf({ lint: '' }, {}, file)).toMatchObject({ lint: file.lint, lintMode: 'error' });
    expect(settingsOf({ lint: 'off' }, {}, file)).toMatchObject({
      lint: { mode: 'off', rules: { 'drop-column': 'off' } },
      lintMode: 'off',
    });
    expect(settingsOf({}, { PGSHIFT_LINT: 'off' }, file).lintMode).toBe('off');
    expect(settingsOf({ lint: 'warn' }, { PGSHIFT_LINT: 'off' }, file).lintMode).toBe('warn');
  });

  it('read each setting from the input, else PGSHIFT_*, else pgshift.json, else the default', () => {
    const file = { dir: 'db/migrations', table: 'ops.migrations', lockTimeout: '3s', verifyTimeout: 90, strictOrder: true };
    expect(settingsOf({}, {}, file)).toMatchObject({
      settings: { dir: 'db/migrations', table: 'ops.migrations', strictOrder: true, lockWaitMs: 60_000, lockTimeoutMs: 3000 },
      dirFrom: { place: 'file', file: 'pgshift.json' },
      verify: { deadlineMs: 90_000 },
    });
    const env = { PGSHIFT_DIR: 'sql', PGSHIFT_LOCK_TIMEOUT: '1s', PGSHIFT_STRICT_ORDER: 'false' };
    expect(settingsOf({}, env, file)).toMatchObject({
      settings: { dir: 'sql', table: 'ops.migrations', strictOrder: false, lockTimeoutMs: 1000 },
      dirFrom: { place: 'env' },
    });
    const given = settingsOf({ dir: 'flagged', 'lock-timeout': '500ms', table: 'app_migrations', 'strict-order': 'true' }, env, file);
    expect(given.settings).toMatchObject({ dir: 'flagged', table: 'app_migrations', strictOrder: true, lockTimeoutMs: 500 });
    expect(given.dirFrom).toBeUndefined();
  });

  it("give migrate and rollback a 2 s lock timeout and 10 lock retries where no layer sets them, and leave the other commands the server's", () => {
    const inputs = inputsFrom({});
    expect(actionSettings(inputs, {}, undefined, 'migrate').settings).toMatchObject({ lockTimeoutMs: 2000, lockRetries: 10 });
    expect(actionSettings(inputs, {}, undefined, 'rollback').settings).toMatchObject({ lockTimeoutMs: 2000, lockRetries: 10 });
    for (const command of ['plan', 'verify', 'status'] as const) {
      const { settings } = actionSettings(inputs, {}, undefined, command);
      expect(settings.lockTimeoutMs).toBeUndefined();
      expect(settings.lockRetries).toBeUndefined();
    }
    // Any layer wins over the action's default, 0 included.
    const set = (values: Record<string, string>, env: Record<string, string> = {}, file?: object) =>
      actionSettings(inputsFrom(values), env, file === undefined ? undefined : checkConfig(JSON.stringify(file), 'pgshift.json'), 'migrate')
        .settings;
    expect(set({ 'lock-retries': '0', 'lock-timeout': '0' })).toMatchObject({ lockTimeoutMs: 0, lockRetries: 0 });
    expect(set({}, { PGSHIFT_LOCK_RETRIES: '3' })).toMatchObject({ lockTimeoutMs: 2000, lockRetries: 3 });
    expect(set({}, {}, { lockRetries: 4, lockTimeout: '500ms' })).toMatchObject({ lockTimeoutMs: 500, lockRetries: 4 });
    expect(() => inputsFrom({ 'lock-retries': 'many' })).toThrow('lock-retries must be a whole number ≥ 0, got "many"');
  });

  it('report the bad variables and file entries together, each named where it came from', () => {
    let error: unknown;
    try {
      settingsOf({}, { PGSHIFT_LOCK_WAIT: 'soon' }, { table: 'a.b.c', lock_timeout: '3s' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PgshiftError);
    expect((error as PgshiftError).problems.map((p) => [p.message, p.hint])).toEqual([
      [
        'pgshift.json: unknown setting "lock_timeout" (did you mean lockTimeout?)',
        expect.stringContaining('the config file holds dir, table'),
      ],
      ['pgshift.json: table: invalid tracking table name "a.b.c": at most one dot (schema.table)', 'correct "table" in pgshift.json'],
      [expect.stringContaining('PGSHIFT_LOCK_WAIT must be a duration'), 'correct PGSHIFT_LOCK_WAIT, or unset it'],
    ]);
  });

  it('are read with their units and reported all together when wrong', () => {
    const values = {
      command: 'Rollback',
      steps: '3',
      'lock-timeout': '5s',
      'statement-timeout': '2min',
      target: '0',
      'strict-order': 'TRUE',
      'verify-timeout': '90s',
    };
    expect(inputsFrom(values)).toMatchObject({ command: 'rollback', steps: 3, target: 0 });
    expect(settingsOf(values)).toMatchObject({
      settings: { lockTimeoutMs: 5000, statementTimeoutMs: 120_000, strictOrder: true },
      verify: { deadlineMs: 90_000 },
    });
    expect(() => inputsFrom({ command: 'apply', steps: '0', comment: 'yes', 'lock-wait': 'soon' })).toThrow(
      'invalid inputs: command must be one of auto, verify, status, plan, migrate, rollback, validate, got "apply"; steps must be a whole number ≥ 1, got "0"; comment must be true or false, got "yes"; lock-wait must be a duration',
    );
    // The inputs are checked before the environment and the file are read: a bad one is a bad input whatever they hold.
    expect(() => inputsFrom({ 'verify-timeout': '0', superuser: 'ja' })).toThrow(
      'invalid inputs: superuser must be true or false, got "ja"; verify-timeout must be longer than 0',
    );
  });
});

const migration = (version: number, name: string, sql: string): PlannedMigration => ({
  version,
  name,
  file: `migrations/${String(version).padStart(3, '0')}_${name}.sql`,
  transaction: 'transaction',
  statements: sql.split(';').length - 1,
  hasDown: true,
  outOfOrder: false,
  sql,
  checksum: 'x',
});
const planOf = (pending: PlannedMigration[]): Plan => ({ pending, problems: [], ok: true, table: 'schema_migrations', findings: [] });
const render = (pending: PlannedMigration[]) =>
  renderPlanComment({
    marker: commentMarker('migrations', 'schema_migrations'),
    dir: 'migrations',
    table: 'schema_migrations',
    plan: planOf(pending),
    problems: [],
  });

describe('the plan comment', () => {
  it('keeps file names from breaking the table, and SQL from closing its code block', () => {
    const body = render([migration(1, 'a|b*c_<script>`d`', "SELECT '```';")]);
    const row = body.split('\n').find((l) => l.startsWith('| 1 |'));
    expect(row?.split(' | ')).toHaveLength(5);
    expect(body).not.toContain('<script>');
    expect(body).toContain("````sql\nSELECT '```';\n````");
    expect(body).toContain('pending on the database of the <code>connection</code> input');
  });

  it('stays within the limit with many long migrations, keeping the short ones whole', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `INSERT INTO t VALUES (${i});`).join('\n');
    const pending = Array.from({ length: 40 }, (_, i) => migration(i + 1, `m${i}`, i % 10 === 0 ? 'SELECT 1;' : long));
    const body = render(pending);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain('36 SQL blocks shortened');
    expect(body.match(/```sql\nSELECT 1;\n```/g)).toHaveLength(4);
    const many = render(Array.from({ length: 1500 }, (_, i) => migration(i + 1, `m${i}`, long)));
    expect(many.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(many).toContain('…and 1200 more not listed');
  });

  it('is found again by a marker per directory and table, whatever the spelling of the directory', () => {
    expect(commentMarker('./migrations/', 'schema_migrations')).toBe(commentMarker('migrations', 'schema_migrations'));
    expect(commentMarker('db/migrations', 'schema_migrations')).not.toBe(commentMarker('migrations', 'schema_migrations'));
    expect(commentMarker('migrations', 'app.schema_migrations')).not.toBe(commentMarker('migrations', 'schema_migrations'));
    expect(commentMarker('a-->b', 't')).not.toContain('a-->');
  });
});

describe('secrets', () => {
  it("include PGSHIFT_SCRATCH_URL's password, now that the scratch server can come from the environment, even under the input", () => {
    const secrets = runSecrets({ env: { PGSHIFT_SCRATCH_URL: 'postgres://u:env-pw-1@h/d' }, scratchUrl: 'postgres://v:input-pw-2@h/d' });
    expect(secrets).toEqual(expect.arrayContaining(['env-pw-1', 'input-pw-2']));
  });

  it('are redacted in raw and JSON-escaped forms, longest first', () => {
    const redact = redactor(['postgres://u:pa"ss@h/db', 'pa"ss', 'x']);
    expect(redact('url postgres://u:pa"ss@h/db and pa"ss and {"p":"pa\\"ss"} and x')).toBe('url *** and *** and {"p":"***"} and x');
  });
});

describe('the log', () => {
  it('never lets a line start a workflow command, whatever text it carries', () => {
    const io = { lines: [] as string[] };
    const logged = redacting(
      {
        getInput: () => '',
        setSecret: () => {},
        setOutput: () => {},
        info: (m) => io.lines.push(m),
        annotate: () => {},
        writeSummary: async () => {},
        setFailed: () => {},
      },
      (t) => t,
    );
    logged.info('relation "x\n::error file=a.sql::forged" does not exist\n  ::warning::also forged');
    expect(
      io.lines
        .join('\n')
        .split('\n')
        .filter((line) => /^\s*::/.test(line)),
    ).toEqual([]);
    expect(io.lines[0]).toContain(': :error file=a.sql::forged');
  });
});

describe('the lint section of the comment', () => {
  const finding = (severity: 'error' | 'warning', extra: Partial<Problem['lint']> = {}): Problem => ({
    code: 'LINT',
    severity,
    message: 'Creating index on <img src=x> | *x* without CONCURRENTLY',
    file: 'migrations/002_x.sql',
    line: 3,
    lint: { rule: 'create-index', family: 'index-not-concurrent', fix: 'CREATE INDEX CONCURRENTLY "```" ON t (a);\n', ...extra },
  });

  it('puts errors first, warnings and accepted findings collapsed, and keeps repository text inert', () => {
    const section = lintSection([
      finding('warning'),
      finding('error', { observed: 'took SHARE on public.t', size: '≈41 M rows, 9.8 GB' }),
      finding('warning', { acknowledged: 'tiny <b>table</b>' }),
    ]);
    expect(section.indexOf('❌')).toBeLessThan(section.indexOf('<details><summary>1 warning</summary>'));
    expect(section).toContain('**Lint: 1 error, 1 warning, 1 accepted**');
    expect(section).toContain('🔎 observed: took SHARE on public.t · size: ≈41 M rows, 9.8 GB');
    expect(section).toContain('<details><summary>1 accepted with <code>-- pgshift:safe</code></summary>');
    expect(section).toContain('tiny &#60;b&#62;table&#60;/b&#62;');
    expect(section).not.toContain('<img');
    expect(section).not.toContain('<b>table');
    // The fence outlasts any backtick run in the SQL.
    expect(section).toContain('````sql\n  CREATE INDEX CONCURRENTLY "```" ON t (a);\n  ````');
  });
});
