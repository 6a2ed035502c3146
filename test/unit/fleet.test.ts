/** The fleet's pure parts: the targets list checked, waves dealt, shards, fleet argv → options. No database. */
import { describe, expect, it } from 'vitest';
import { parseFleetArgs } from '../../src/cli/fleet-args.js';
import { mergeLedgers, type Ledger } from '../../src/core/fleet.js';
import { summaryMarkdown, summaryText } from '../../src/frontend/fleet-report.js';
import { parseShard, shardMatrix, shardOf } from '../../src/core/shard.js';
import { checkSpecs, resolveTargets } from '../../src/fleet/targets.js';
import { checkWaves, dealWaves, DEFAULT_WAVES, parseMaxFailures } from '../../src/fleet/waves.js';

const targets = (n: number, labels: (i: number) => Record<string, string> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, labels: labels(i) }));

describe('the targets list', () => {
  it('reports every bad entry at once, naming the target and what to do', () => {
    const { specs, problems } = checkSpecs(
      [
        { id: 'a', urlEnv: 'A_URL' },
        { id: 'a', urlEnv: 'B_URL' },
        { id: 'b', urlEnv: 'postgres://u:pw@h/db' },
        { id: 'c', password: 'hunter2' },
        { id: 'd', schema: 'x.y', labels: { tier: 1 } },
        { urlEnv: 'E_URL' },
        'f',
        { id: 'g', urlEnv: 'G_URL', color: 'red' },
      ],
      'targets.json',
    );
    expect(specs.map((s) => s.id)).toEqual(['a']);
    const messages = problems.map((p) => p.message);
    expect(messages).toEqual([
      'targets.json: target "a" is listed twice (targets 1 and 2)',
      'targets.json: target "b": urlEnv must name an environment variable, not hold a URL',
      'targets.json: target "c" holds "password": a connection or password is never written in the targets list',
      'targets.json: target "d": schema must be a plain name (letters, digits, _ and $)',
      'targets.json: target "d": labels must be an object of strings',
      'targets.json: target 6 needs an "id": letters, digits, ".", "_" and "-", at most 100',
      'targets.json: target 7 is not an object',
      'targets.json: target "g" has an unknown key "color"',
    ]);
    expect(messages.join('\n')).not.toContain('hunter2');
    expect(messages.join('\n')).not.toContain('pw@');
  });

  it('finds each URL in its variable, the default connection without one, and names the unset variables', () => {
    const { specs } = checkSpecs(
      [
        { id: 'a', urlEnv: 'A_URL' },
        { id: 'b', urlEnv: 'B_URL' },
        { id: 'c', schema: 'Tenant_C' },
        { id: 'd', schema: 'tenant_c' },
      ],
      'pgshift.json: targets',
    );
    const { targets: found, problems } = resolveTargets(
      specs,
      { A_URL: 'postgres://db1:6543/app', B_URL: '' },
      { connection: 'postgres://db2/app', from: 'DATABASE_URL' },
    );
    expect(found.map((t) => [t.id, t.server, t.schema ?? null])).toEqual([
      ['a', 'db1:6543', null],
      ['c', 'db2:5432', 'tenant_c'],
      ['d', 'db2:5432', 'tenant_c'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'target "b": B_URL is not set',
      'targets "c" and "d" are the same database and schema tenant_c',
    ]);
  });
});

describe('waves', () => {
  it('by default: one canary, then 10 % of all, then the rest', () => {
    const waves = dealWaves(targets(50), DEFAULT_WAVES);
    expect(waves.map((w) => [w.name, w.targets.length, w.maxFailures])).toEqual([
      ['canary', 1, 1],
      ['10%', 5, 1],
      ['rest', 44, 1],
    ]);
  });

  it('takes by labels, count or percent from what earlier waves left; what no wave takes runs last; a share of failures rounds up', () => {
    const waves = dealWaves(
      targets(20, (i) => ({ region: i < 4 ? 'eu' : 'us' })),
      [
        { name: 'eu', select: { region: 'eu' }, concurrency: 2 },
        { name: 'two', count: 2, maxFailures: '10%' },
        { name: 'half', percent: 50, maxFailures: 3 },
      ],
    );
    expect(waves.map((w) => [w.name, w.targets.map((t) => t.id).join(','), w.maxFailures])).toEqual([
      ['eu', 't0,t1,t2,t3', 1],
      ['two', 't4,t5', 1],
      ['half', 't6,t7,t8,t9,t10,t11,t12,t13,t14,t15', 3],
      ['rest', 't16,t17,t18,t19', 1],
    ]);
    expect(waves[0]!.concurrency).toBe(2);
  });

  it('refuses a bad wave with every problem named', () => {
    const problems = checkWaves(
      [{ name: 'a', count: 1, percent: 5 }, { maxFailures: '150%', bakeSeconds: -1, health: '' }, { foo: 1 }],
      'pgshift.json: waves',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'pgshift.json: waves: wave 1 has percent and count: give one',
      'pgshift.json: waves: wave 2: bakeSeconds must be a number ≥ 0',
      'pgshift.json: waves: wave 2: maxFailures must be a whole number ≥ 1 or a share such as "5%"',
      'pgshift.json: waves: wave 2: health must be a command or SQL',
      'pgshift.json: waves: wave 3 has an unknown key "foo"',
    ]);
    expect(parseMaxFailures('5%')).toEqual({ percent: 5 });
    expect(parseMaxFailures(0)).toBeUndefined();
  });
});

describe('shards', () => {
  it('puts every target in exactly one shard, the same one on every run', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `tenant-${i}`);
    const counts = new Array<number>(16).fill(0);
    for (const id of ids) counts[shardOf(id, 16) - 1]!++;
    expect(counts.reduce((a, b) => a + b)).toBe(1000);
    // Spread: no shard empty, none holding more than twice its share.
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(125);
    expect(shardOf('acme', 16)).toBe(shardOf('acme', 16));
    expect(shardMatrix(3)).toEqual({ shard: ['1/3', '2/3', '3/3'] });
    expect([parseShard('2/16'), parseShard('0/4'), parseShard('5/4'), parseShard('1-4')]).toEqual([
      { index: 2, count: 16 },
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('fleet argv → options', () => {
  const parse = (argv: string[], env: Record<string, string> = {}) => parseFleetArgs(argv, { env });

  it('reads the flags of each command', () => {
    expect(
      parse(['migrate', '--concurrency', '16', '--shard', '2/4', '--resume', '20261206T214501Z-3fa9c2', '--lock-timeout', '2s']),
    ).toMatchObject({
      command: 'migrate',
      concurrency: 16,
      shard: { index: 2, count: 4 },
      resume: '20261206T214501Z-3fa9c2',
      settings: { lockTimeoutMs: 2000 },
    });
    expect(parse(['wait', '--at-least', '42', '--timeout', '5min', '--select', 'tier=canary,region=eu'])).toMatchObject({
      wait: { atLeast: 42, timeoutMs: 300_000 },
      select: { tier: 'canary', region: 'eu' },
    });
    expect(parse(['report', 'a.json', 'b.json', '--markdown'])).toMatchObject({
      command: 'report',
      files: ['a.json', 'b.json'],
      markdown: true,
    });
    expect(parse(['shard', '--shards', '8'])).toMatchObject({ shards: 8 });
    expect(parse(['migrate', '--atomic'])).toMatchObject({ command: 'migrate', atomic: true });
    expect(() => parse(['rollback', '--atomic'])).toThrow(/--atomic is only for fleet migrate/);
    expect(() => parse(['migrate', '--atomic', '--shard', '1/2'])).toThrow(
      /--atomic cannot take --shard: each shard would commit on its own/,
    );
    expect(parse(['migrate'], { PGSHIFT_LEDGER_DIR: 'ledgers' })).toMatchObject({ ledgerDir: 'ledgers' });
  });

  it('refuses every bad flag at once', () => {
    let message = '';
    try {
      parse(['migrate', '--shard', '5/4', '--at-least', '3', '--check', '--atomc', '--targets', 'a', '--targets-sql', 'SELECT 1']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('; ')).toEqual([
      'unknown option --atomc (did you mean --atomic?)',
      '--at-least is only for fleet wait',
      '--check is only for fleet status',
      '--targets and --targets-sql cannot be used together',
      '--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/16 (got "5/4")',
    ]);
    expect(() => parse(['deploy'])).toThrow(/unknown fleet command "deploy"/);
    expect(() => parse(['shard'])).toThrow(/fleet shard needs --shards/);
    expect(() => parse(['report'])).toThrow(/fleet report needs ledger files/);
  });
});

describe('fleet report', () => {
  const ledger = (runId: string, updatedAt: string, targets: Ledger['targets'], stopped?: string): Ledger => ({
    format: 'pgshift-fleet-ledger/1',
    runId,
    command: 'migrate',
    startedAt: updatedAt,
    updatedAt,
    waves: [
      { name: 'canary', targets: ['a'] },
      { name: 'rest', targets: ['b', 'c'] },
    ],
    targets,
    ...(stopped !== undefined && { stopped }),
  });

  it('merges ledgers, the latest record of a target winning, into text and markdown with a table per wave', () => {
    const first = ledger(
      'r1',
      '2026-12-06T10:00:00Z',
      [
        {
          id: 'a',
          wave: 'canary',
          status: 'failed',
          from: null,
          to: null,
          error: { code: 'MIGRATION_FAILED', message: 'a | <b>', file: 'migrations/001_a.sql', line: 2 },
        },
        { id: 'b', wave: 'rest', status: 'not-started', reason: 'wave "canary" reached its stop rule' },
      ],
      'wave "canary" reached its stop rule',
    );
    const second = ledger('r1', '2026-12-06T11:00:00Z', [{ id: 'a', wave: 'canary', status: 'done', from: null, to: 2, durationMs: 40 }]);
    const summary = mergeLedgers([second, first]);
    expect(summary.counts).toMatchObject({ done: 1, 'not-started': 1, failed: 0, total: 2 });
    expect(summary.ok).toBe(false);
    expect(summaryText(summary)).toBe(
      [
        'fleet: 1 done, 0 failed, 1 not started of 2 targets; 1 at 2',
        'stopped: r1: wave "canary" reached its stop rule',
        '  not-started b  wave "canary" reached its stop rule',
      ].join('\n'),
    );
    const markdown = summaryMarkdown(mergeLedgers([first]));
    expect(markdown).toContain('#### wave canary: 0 of 1 done');
    expect(markdown).toContain('| a | failed | none → none |  | migrations/001_a.sql:2: a \\| &lt;b&gt; |');
    expect(markdown.indexOf('#### wave canary')).toBeLessThan(markdown.indexOf('#### wave rest'));
  });
});
