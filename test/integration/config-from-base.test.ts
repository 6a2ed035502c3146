/**
 * The config file as a pull request's check reads it: from the base commit,
 * never from the checkout the pull request controls.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, readConfigAt } from '../../src/source/config-file.js';
import { gitFileAt } from '../../src/source/git.js';
import { commit, gitRepo } from '../support/git.js';

const OFF = JSON.stringify({ lint: { rules: { 'drop-column': 'off' } } });
const WARN = JSON.stringify({ lint: { rules: { 'drop-column': 'warning' } } });

describe('the config file read from a commit', () => {
  it('is {} when the base has none, and a pull request adding one is a change (valid, so nothing refused)', async () => {
    const repo = await gitRepo();
    const base = await commit(repo, { 'README.md': 'x' });
    await writeFile(join(repo, 'pgshift.json'), OFF);
    expect(await readConfigAt(base, undefined, repo)).toEqual({ config: {}, file: 'pgshift.json', changed: true });
  });

  it("is the base's, not the working tree's, and unchanged when they differ only in line endings", async () => {
    const repo = await gitRepo();
    const base = await commit(repo, { 'pgshift.json': `${WARN}\n` });
    await writeFile(join(repo, 'pgshift.json'), `${WARN}\r\n`);
    expect(await readConfigAt(base, undefined, repo)).toEqual({ config: JSON.parse(WARN), file: 'pgshift.json', changed: false });
    await writeFile(join(repo, 'pgshift.json'), OFF);
    expect(await readConfigAt(base, undefined, repo)).toMatchObject({ config: JSON.parse(WARN), changed: true });
  });

  it('says why a changed file would be refused, and that a deleted one changed', async () => {
    const repo = await gitRepo();
    const base = await commit(repo, { 'config/pgshift.json': WARN });
    await writeFile(join(repo, 'config/pgshift.json'), '{ "lint": { "rules": { "no-such-rule": "off" } }, "extra": 1 }');
    const read = await readConfigAt(base, 'config/pgshift.json', repo);
    expect(read).toMatchObject({ config: JSON.parse(WARN), file: 'config/pgshift.json', changed: true });
    expect(read.changedInvalid).toContain('config/pgshift.json: unknown setting "extra"');
    await rm(join(repo, 'config/pgshift.json'));
    expect(await readConfigAt(base, 'config/pgshift.json', join(repo, 'config', '..'))).toEqual({
      config: JSON.parse(WARN),
      file: 'config/pgshift.json',
      changed: true,
    });
  });

  it("refuses the base's own invalid file, naming it", async () => {
    const repo = await gitRepo();
    const base = await commit(repo, { 'pgshift.json': '{ "lint": ' });
    await expect(readConfigAt(base, undefined, repo)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('pgshift.json is not valid JSON'),
    });
  });

  it('reads a file outside the repository from disk: no commit holds it', async () => {
    const repo = await gitRepo();
    const base = await commit(repo, { 'README.md': 'x' });
    const outside = join(await mkdtemp(join(tmpdir(), 'pgshift-config-')), 'shared.json');
    await writeFile(outside, OFF);
    expect(await readConfigAt(base, outside, repo)).toEqual({ config: JSON.parse(OFF), file: outside, changed: false });
    await rm(outside);
  });

  it('names a commit that is not there instead of taking it as one without the file', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'pgshift.json': OFF });
    await expect(gitFileAt('0'.repeat(40), 'pgshift.json', repo)).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringContaining('is not a commit in this checkout'),
    });
    expect(await gitFileAt('HEAD', 'missing.json', repo)).toBeUndefined();
    expect(await gitFileAt('HEAD', 'pgshift.json', repo)).toBe(OFF);
  });
});

describe('config text', () => {
  it('is checked as a file is: every bad entry named with the file', () => {
    expect(parseConfig(OFF, 'pgshift.json')).toEqual(JSON.parse(OFF));
    expect(() => parseConfig('[]', 'x.json')).toThrow('x.json must hold a JSON object');
    expect(() => parseConfig('{"lint": {"mode": "loud"}, "other": 1}', 'x.json')).toThrow(/2 problems in x.json/);
  });
});
