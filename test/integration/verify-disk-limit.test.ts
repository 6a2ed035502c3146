/**
 * A migration that fills the disk is stopped from outside: the private
 * server is killed once its file system has lost more than the cap, and the
 * check fails naming the migration, leaving nothing behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, gitSource } from '../../src/index.js';
import { commit, git, gitRepo } from '../support/git.js';
import { anyBinaries } from '../support/scratch-support.js';

let temp: string;
let bin: string;
beforeAll(async () => {
  bin = (await anyBinaries()).bin;
  temp = await mkdtemp(join(tmpdir(), 'pgshift-disk-'));
  execFileSync('chmod', ['755', temp]);
});
afterAll(async () => rm(temp, { recursive: true, force: true }));

describe('verify on a private server', () => {
  it('stops a migration that writes more than the disk cap, naming it', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'migrations/001_a.sql': '-- UP\nCREATE TABLE a (id int);\n' });
    git(repo, 'checkout', '-q', '-b', 'feature');
    // Some 800 MB of rows that do not compress, against a cap of 32 MiB.
    const fill = '-- UP\nCREATE TABLE fill AS SELECT g AS a, g * 2 AS b, g * 3 AS c, g * 5 AS d FROM generate_series(1, 12000000) AS g;\n';
    await writeFile(join(repo, 'migrations/002_fill.sql'), fill);
    const home = process.cwd();
    process.chdir(repo);
    const migrator = new Migrator({ dir: 'migrations' });
    const report = await migrator
      .verify({
        base: gitSource({ ref: 'main', dir: 'migrations', cwd: repo }),
        baseName: 'main',
        postgresBin: bin,
        tempRoot: temp,
        diskLimitBytes: 32 * 1024 ** 2,
      })
      .finally(() => process.chdir(home));
    expect(report.ok).toBe(false);
    expect(report.problems).toMatchObject([
      { code: 'SCRATCH_DISK_LIMIT', message: expect.stringContaining('UP of migrations/002_fill.sql') },
    ]);
    expect((await readdir(temp)).filter((f) => f.startsWith('pgshift-scratch-'))).toEqual([]);
  });
});
