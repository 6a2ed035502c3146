/**
 * verify's fleet line as users see it: `pgshift verify --targets FILE
 * --json` and `--fleet` (pgshift.json's targets) through the built CLI, and
 * the action's pull request comment with the fleet input, on real databases
 * (two at the base with an analysed orders table, one already at the new
 * version, one unreachable, one with its variable unset).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, runAction } from '../support/action.js';
import { runCli, type Run } from '../support/cli.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin } from '../support/scratch-support.js';
import { BASE, fleetFixture, REWRITE, TARGETS, type FleetFixture } from '../support/verify-fleet.js';
import { findPostgres } from '../../src/scratch/index.js';

let fixture: FleetFixture;
/** The private scratch server's binaries: the machine's when it has them, else the embedded ones. */
let bin: string | undefined;
beforeAll(async () => {
  fixture = await fleetFixture();
  bin = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => undefined,
    () => embeddedBin(),
  );
}, 120_000);
afterAll(async () => fixture?.dbs.drop(), 60_000);

/** main with the base's migration and pgshift.json listing the targets; a branch adding the rewrite. */
async function branch(): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'migrations/001_orders.sql': BASE, 'pgshift.json': JSON.stringify({ targets: TARGETS }) });
  git(repo, 'checkout', '-q', '-b', 'feature');
  await writeFile(join(repo, 'migrations/002_wider.sql'), REWRITE);
  return repo;
}

const verify = (repo: string, ...args: string[]): Promise<Run> =>
  runCli(
    ['verify', '--base', 'main', '--rehearse-rows', '0', ...(bin ? ['--postgres-bin', bin] : []), ...args],
    { ...fixture.env },
    { cwd: repo },
  );

const leaks = (text: string) => fixture.secrets.filter((s) => text.includes(s));

describe('pgshift verify with a fleet', () => {
  it('--targets FILE --json: a fleet object with the counts and the largest table per target', async () => {
    const repo = await branch();
    await writeFile(join(repo, 'targets.json'), JSON.stringify({ targets: TARGETS }));
    const run = await verify(repo, '--targets', 'targets.json', '--json');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    const { fleet } = JSON.parse(run.stdout) as {
      fleet: {
        total: number;
        touched: number;
        applied: number;
        unreachable: number;
        failed: number;
        largest: { id: string; table: string; work: string; rows: number; bytes: number }[];
        targets: { id: string; state: string; pending: number[]; tables: { table: string; rows: number }[]; error?: string }[];
      };
    };
    expect(fleet).toMatchObject({ total: 5, touched: 2, applied: 1, unreachable: 2, failed: 0 });
    expect(fleet.largest.map((t) => [t.id, t.table, t.work, t.rows])).toEqual([
      ['acme', 'public.orders', 'rewrite', 50000],
      ['globex', 'public.orders', 'rewrite', 5000],
    ]);
    const largestOn = Object.fromEntries(fleet.targets.map((t) => [t.id, t.tables[0]?.table ?? null]));
    expect(largestOn).toEqual({ acme: 'public.orders', globex: 'public.orders', initech: null, umbrella: null, hooli: null });
    expect(fleet.targets.find((t) => t.id === 'initech')).toMatchObject({ state: 'applied', pending: [] });
    expect(fleet.targets.find((t) => t.id === 'umbrella')?.error).toContain('UMBRELLA_URL');
  });

  it("--fleet: pgshift.json's targets, the fleet line in the text, no URL or password anywhere", async () => {
    const repo = await branch();
    const run = await verify(repo, '--fleet');
    expect(run.stdout).toMatch(
      /Fleet: would touch 2 of 5 targets \(1 already has the new migrations, 2 unreachable: umbrella, hooli\); largest rewrites and scans: public\.orders ≈50 k rows, [\d.]+ MB \(rewrite\) on acme, public\.orders ≈5000 rows, [\d.]+ kB \(rewrite\) on globex/,
    );
    expect(run.stdout).toContain('umbrella: cannot connect to UMBRELLA_URL: connection refused');
    expect(run.stdout).toContain('hooli: HOOLI_URL is not set');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain('127.0.0.1:1/');
  });

  it('--targets-sql: the targets a query on the control database lists', async () => {
    const repo = await branch();
    const rows = TARGETS.map((t) => `('${t.id}', '${t.urlEnv}')`).join(', ');
    const sql = `SELECT id, url_env, NULL AS schema, NULL::json AS labels FROM (VALUES ${rows}) AS v(id, url_env)`;
    const run = await verify(repo, '--targets-sql', sql, '--database-url', fixture.env.ACME_URL!, '--json');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    const { fleet } = JSON.parse(run.stdout) as { fleet: { total: number; touched: number; largest: { id: string }[] } };
    expect(fleet).toMatchObject({ total: 5, touched: 2 });
    expect(fleet.largest.map((t) => t.id)).toEqual(['acme', 'globex']);
  });

  it('refuses --targets with --targets-sql, and --fleet on another command', async () => {
    const repo = await branch();
    const both = await verify(repo, '--targets', 'a.json', '--targets-sql', 'SELECT 1');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--targets and --targets-sql cannot be used together');
    const elsewhere = await runCli(['status', '--fleet'], {}, { cwd: repo });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('--fleet is only for verify');
  });
});

describe('the action on a pull request with the fleet input', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
  });
  afterEach(async () => github.close());

  /** GitHub's merge commit of the branch (with `extra` files) into main, checked out, verified by the action with `inputs`. */
  async function pullRequest(inputs: Record<string, string>, extra: Record<string, string> = {}) {
    const repo = await branch();
    await commit(repo, extra, 'the pull request');
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'checkout', '-q', '--detach');
    git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
    const merge = git(repo, 'rev-parse', 'HEAD');
    const head = [...git(repo, 'cat-file', '-p', merge).matchAll(/^parent (\S+)$/gm)][1]![1]!;
    const run = await runAction({
      workspace: repo,
      event: pullRequestEvent(7, head),
      inputs: {
        dir: 'migrations',
        'github-token': 'ghs_fakeWorkflowToken0123456789',
        'rehearse-rows': '0',
        ...(bin && { 'postgres-bin': bin }),
        ...inputs,
      },
      env: { ...fixture.env, GITHUB_API_URL: github.url, GITHUB_SHA: merge, RUNNER_TEMP: repo },
    });
    const body = (github.comments.get(7) ?? []).find((c) => c.body.startsWith('<!-- pgshift:plan'))?.body ?? '';
    return { run, body };
  }

  it("adds the fleet line to the comment, from the base commit's targets, naming targets by id only", async () => {
    const { run, body } = await pullRequest({ fleet: 'true' });
    expect(body, run.stdout).toContain(
      '**Fleet:** would touch 2 of 5 targets (1 already has the new migrations, 2 unreachable: <code>umbrella</code>, <code>hooli</code>); largest rewrites and scans: <code>public.orders</code> ≈50 k rows, ',
    );
    expect(body).toMatch(
      /\(rewrite\) on <code>acme<\/code>, <code>public\.orders<\/code> ≈5000 rows, [\d.]+ kB \(rewrite\) on <code>globex<\/code>\./,
    );
    for (const text of [body, run.log, run.summary, run.outputFile]) {
      expect(leaks(text)).toEqual([]);
      expect(text).not.toContain('127.0.0.1:1/');
    }
  });

  it('reads a targets file as the base commit has it: one the pull request adds gives a warning and no fleet line', async () => {
    const { run, body } = await pullRequest({ targets: 'targets.json' }, { 'targets.json': JSON.stringify(TARGETS) });
    expect(body, run.stdout).toContain('no fleet line: the targets file targets.json is not in the base commit');
    expect(body).not.toContain('**Fleet:**');
    expect(leaks(body + run.log)).toEqual([]);
  });
});
